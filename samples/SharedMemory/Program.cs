// Shared memory (source text items 1-3): each process has its own memory, so a child's writes to an
// ordinary array never reach the parent. SharedArray<T> and SharedValue<T> (Python's Array('i', 4) and
// Value('d', 0.0)) live in shared memory instead: the child writes, the parent reads result[:] and .value.
using ParallelGen;

int[] mylist = [1, 2, 3, 4];

// An ordinary array is copied into the child: the child squares its copy, the parent's stays as it was.
int[] plain = new int[4];
WorkerProcess.Start(Work.SquareIntoCopy, mylist, plain).Join();
Console.WriteLine($"Ordinary array in the parent after the child wrote to its copy: [{string.Join(", ", plain)}]");

// Array('i', 4) and Value('i'): the child writes into the same memory the parent reads.
using var result = new SharedArray<int>(4);
using var squareSum = new SharedValue<int>();
WorkerProcess p1 = WorkerProcess.Start(Work.SquareList, mylist, result, squareSum);
p1.Join();
Console.WriteLine($"Result (in the parent {Environment.ProcessId}): [{string.Join(", ", result.ToArray())}]");
Console.WriteLine($"Sum of squares (in the parent): {squareSum.Value}");

// Value('d', 0.0) with its lock: four processes add 1.0 five hundred times each.
using var counter = new SharedValue<double>(0.0);
WorkerProcess[] adders = [.. Enumerable.Range(0, 4).Select(_ => WorkerProcess.Start(Work.AddOnes, counter, 500))];
foreach (WorkerProcess adder in adders)
{
    adder.Join();
}

Console.WriteLine($"Counter after 4 processes x 500 locked increments: {counter.Value}");

bool ok = plain.All(x => x == 0) && result.ToArray().SequenceEqual([1, 4, 9, 16]) && squareSum.Value == 30 && counter.Value == 2000;
Console.WriteLine(ok ? "OK" : "MISMATCH");
return ok ? 0 : 1;

static class Work
{
    [Worker]
    public static void SquareIntoCopy(int[] mylist, int[] copy)
    {
        for (int i = 0; i < mylist.Length; i++)
        {
            copy[i] = mylist[i] * mylist[i];
        }

        Console.WriteLine($"Ordinary array in the child {Environment.ProcessId}: [{string.Join(", ", copy)}]");
    }

    [Worker]
    public static void SquareList(int[] mylist, SharedArray<int> result, SharedValue<int> squareSum)
    {
        for (int i = 0; i < mylist.Length; i++)
        {
            result[i] = mylist[i] * mylist[i];
        }

        squareSum.Value = result.ToArray().Sum();
        Console.WriteLine($"Result (in process p1 {Environment.ProcessId}): [{string.Join(", ", result.ToArray())}]");
        Console.WriteLine($"Sum of squares (in process p1): {squareSum.Value}");
    }

    [Worker]
    public static void AddOnes(SharedValue<double> counter, int times)
    {
        for (int i = 0; i < times; i++)
        {
            // counter.Value += 1 is a read and a write: without the lock, increments from other processes get lost.
            using (counter.Lock())
            {
                counter.Value += 1;
            }
        }
    }
}
