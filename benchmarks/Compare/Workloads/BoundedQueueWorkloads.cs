using System.Diagnostics;

namespace ParallelGen.Benchmarks.Compare.Workloads;

/// <summary>
/// bounded_queue.py's workload: one producer process puts small ints into a queue of capacity 100 that the
/// parent drains. As in the script, the producer is started first and waits for a go signal, so the clock
/// runs from the signal to the last item received and process start is excluded.
/// </summary>
internal static class BoundedQueueWorkloads
{
    private const int Capacity = 100;
    private const int Items = 20_000;

    public static IEnumerable<Measurement> Throughput(int repeats)
    {
        var samples = new List<double>();
        for (int round = 0; round < repeats; round++)
        {
            using var queue = new ProcessQueue<int>(Capacity);
            using var go = new ProcessQueue<bool>();
            WorkerProcess<int> producer = WorkerProcess.Start(Producer.PutAfterGo, queue, go, Items);
            Check(queue.Get(TimeSpan.FromMinutes(1)) == -1, "the producer's ready signal");

            long t0 = Stopwatch.GetTimestamp();
            go.Put(true);
            long sum = 0;
            for (int i = 0; i < Items; i++)
            {
                sum += queue.Get();
            }

            samples.Add(Items / Stopwatch.GetElapsedTime(t0).TotalSeconds);
            Check(sum == (long)Items * (Items - 1) / 2 && producer.Completion.Result == Items, "bounded_queue result");
        }

        yield return Measurement.Median($"bounded_queue.parallelgen.capacity{Capacity}_msgps", samples, "msgs/s");
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Benchmark check failed: {what}.");
        }
    }
}

internal static class Producer
{
    /// <summary>Says it is ready (-1, which fits in the empty queue), waits for go, then puts 0..count-1, waiting whenever the queue is full.</summary>
    [Worker]
    public static int PutAfterGo(ProcessQueue<int> queue, ProcessQueue<bool> go, int count)
    {
        queue.Put(-1);
        go.Get();
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }

        return count;
    }
}
