// Producer/consumer over a bounded queue (Python's Queue(maxsize) and JoinableQueue), async end to end.
// The parent produces with PutAsync: when the consumers fall behind, the queue is full and PutAsync waits
// (without holding a thread) until one of them takes an item. Complete() then tells the consumers there is
// no more: each ReadAllAsync loop drains what is left and ends, no sentinel values needed.
using System.Diagnostics;
using ParallelGen;

const int Jobs = 200;
using var jobs = new ProcessQueue<int>(capacity: 10);

WorkerProcess<(int Count, long Sum)>[] consumers = [.. Enumerable.Range(0, 2).Select(_ => WorkerProcess.Start(Work.ConsumeAsync, jobs))];

var clock = Stopwatch.StartNew();
int sawFull = 0;
for (int job = 1; job <= Jobs; job++)
{
    if (jobs.IsFull)
    {
        sawFull++;
    }

    await jobs.PutAsync(job);   // waits while 10 items are queued
}

jobs.Complete();                // consumers drain the rest, then their ReadAllAsync ends
(int Count, long Sum)[] results = await Task.WhenAll(consumers.Select(c => c.Completion));
Console.WriteLine($"Produced {Jobs} jobs in {clock.ElapsedMilliseconds} ms; the queue (capacity {jobs.Capacity}) was full {sawFull} times when the producer looked");
for (int i = 0; i < results.Length; i++)
{
    Console.WriteLine($"  consumer {consumers[i].Name} (process {consumers[i].Pid}) handled {results[i].Count} jobs");
}

long total = results.Sum(r => r.Sum);
Console.WriteLine($"Sum of squares handled by the consumers: {total}");

// A JoinableProcessQueue counts unfinished items: Join() returns once every item was marked TaskDone().
using var tasks = new JoinableProcessQueue<string>();
WorkerProcess worker = WorkerProcess.Start(Work.Handle, tasks);
foreach (string name in new[] { "alpha", "beta", "gamma" })
{
    tasks.Put(name);
}

tasks.Join();
Console.WriteLine("Join() returned: every task was taken and marked done");
tasks.Complete();
worker.Join();

long expected = Enumerable.Range(1, Jobs).Sum(x => (long)x * x);
bool ok = total == expected && results.Sum(r => r.Count) == Jobs && worker.ExitCode == 0;
Console.WriteLine(ok ? "OK" : "MISMATCH");
return ok ? 0 : 1;

static class Work
{
    [Worker]
    public static async Task<(int Count, long Sum)> ConsumeAsync(ProcessQueue<int> jobs)
    {
        int count = 0;
        long sum = 0;
        await foreach (int job in jobs.ReadAllAsync())
        {
            await Task.Delay(1);   // a slow consumer: the producer has to wait for room
            sum += (long)job * job;
            count++;
        }

        return (count, sum);
    }

    [Worker]
    public static void Handle(JoinableProcessQueue<string> tasks)
    {
        foreach (string task in tasks.GetConsumingEnumerable())
        {
            Console.WriteLine($"  handled {task} in process {Environment.ProcessId}");
            tasks.TaskDone();
        }
    }
}
