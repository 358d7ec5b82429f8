// Queue (source text items 6, 7, 23, 24): any value can go through a ProcessQueue. A child squares a list
// and puts the results on the queue; the parent takes them off. The same queue can be passed straight to
// pool workers (Python needs Manager().Queue() for that), and Get never has to block forever.
using ParallelGen;

int[] mylist = [1, 2, 3, 4];
using var q = new ProcessQueue<int>();

WorkerProcess p1 = WorkerProcess.Start(Squares.SquareList, mylist, q);
p1.Join();

var fromChild = new List<int>();
while (!q.IsEmpty)
{
    fromChild.Add(q.Get());
}

Console.WriteLine($"Taken off the queue in the parent: [{string.Join(", ", fromChild)}]");

// Pool workers put into the same queue: no Manager needed.
using var pool = new ProcessPool(2);
int[] workerPids = pool.StarMap(Squares.PutSquare, mylist.Select(x => (q, x)));
var fromPool = new List<int>();
while (q.TryGet(out int square))
{
    fromPool.Add(square);
}

Console.WriteLine($"Put by pool workers {string.Join(", ", workerPids.Distinct())}: [{string.Join(", ", fromPool.Order())}]");

// get() blocks on an empty queue; a timeout (or TryGet) says so instead of hanging.
bool got = q.TryGet(out _, TimeSpan.FromMilliseconds(200));
Console.WriteLine(got ? "Unexpected item" : "Empty queue: TryGet gave up after 200 ms instead of blocking forever");
try
{
    q.Get(TimeSpan.FromMilliseconds(100));
}
catch (TimeoutException e)
{
    Console.WriteLine($"Get(timeout) on an empty queue: {e.GetType().Name}");
}

bool ok = fromChild.SequenceEqual([1, 4, 9, 16]) && fromPool.Order().SequenceEqual([1, 4, 9, 16]) && !got;
Console.WriteLine(ok ? "OK" : "MISMATCH");
return ok ? 0 : 1;

static class Squares
{
    [Worker]
    public static void SquareList(int[] mylist, ProcessQueue<int> q)
    {
        foreach (int x in mylist)
        {
            q.Put(x * x);
        }
    }

    [Worker]
    public static int PutSquare(ProcessQueue<int> q, int x)
    {
        q.Put(x * x);
        return Environment.ProcessId;
    }
}
