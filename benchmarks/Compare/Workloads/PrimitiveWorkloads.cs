using System.Diagnostics;

namespace ParallelGen.Benchmarks.Compare.Workloads;

/// <summary>
/// Parallel.Gen's side of the primitives scripts, measured as they measure: children started first and
/// held at a start line (process start-up is not timed), one producer process, small ints, median over
/// repeats. Metric names mirror the scripts' with <c>parallelgen</c> for the start method.
/// </summary>
internal static class PrimitiveWorkloads
{
    /// <summary>The workloads in the order they run; <c>shared_array</c> has no script of its own (large_payload.py measures Python's shared memory).</summary>
    public static readonly string[] Scripts = ["queue_throughput", "value_array", "manager_queue", "manager_dict", "shared_array"];

    private const int SharedArrayBytes = 64 * 1024 * 1024;

    public static bool HasPythonScript(string script) => script != "shared_array";

    public static IEnumerable<Measurement> Run(string script, int repeats) => script switch
    {
        "queue_throughput" => QueueThroughput(repeats),
        "value_array" => LockedIncrements(repeats),
        "manager_queue" => ManagerQueue(repeats),
        "manager_dict" => ManagerDictionary(repeats),
        "shared_array" => SharedArrayMaps(repeats),
        _ => [],
    };

    /// <summary>queue_throughput.py: a child (after an untimed warm-up of the same puts) puts small ints into a <see cref="ProcessQueue{T}"/> (or sends them down a pipe) hosted here; this process takes them.</summary>
    public static IEnumerable<Measurement> QueueThroughput(int repeats)
    {
        // Python sends 200,000; ours runs the same per-message steady state on fewer, to keep the run short.
        const int N = 50_000;
        const int Warmup = 5_000;
        var queueRates = new List<double>();
        var pipeRates = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            using (var queue = new ProcessQueue<int>())
            using (var gate = new SharedValue<int>(0))
            {
                WorkerProcess child = WorkerProcess.Start(PrimitiveWorkers.Produce, queue, gate, Warmup, N);
                Gate.WaitForArrivals(gate, 1, child);
                for (int i = 0; i < Warmup; i++)
                {
                    queue.Get();
                }

                long t0 = Stopwatch.GetTimestamp();
                Gate.Release(gate);
                long sum = 0;
                for (int i = 0; i < N; i++)
                {
                    sum += queue.Get();
                }

                queueRates.Add(N / Stopwatch.GetElapsedTime(t0).TotalSeconds);
                child.Join();
                Check(sum == (long)N * (N - 1) / 2, "queue_throughput sum");
            }

            var (parentEnd, childEnd) = ProcessPipe.Create<int>();
            using (parentEnd)
            using (var gate = new SharedValue<int>(0))
            {
                WorkerProcess child = WorkerProcess.Start(PrimitiveWorkers.Send, childEnd, gate, Warmup, N);
                childEnd.Dispose();
                Gate.WaitForArrivals(gate, 1, child);
                for (int i = 0; i < Warmup; i++)
                {
                    parentEnd.Receive();
                }

                long t0 = Stopwatch.GetTimestamp();
                Gate.Release(gate);
                long sum = 0;
                for (int i = 0; i < N; i++)
                {
                    sum += parentEnd.Receive();
                }

                pipeRates.Add(N / Stopwatch.GetElapsedTime(t0).TotalSeconds);
                child.Join();
                Check(sum == (long)N * (N - 1) / 2, "pipe sum");
            }
        }

        yield return Measurement.Median("queue_throughput.parallelgen.queue_msgps", queueRates, "msgs/s");
        yield return Measurement.Median("queue_throughput.parallelgen.pipe_msgps", pipeRates, "msgs/s");
    }

    /// <summary>
    /// value_array.py's Value part: two children, 100,000 locked increments each, from the gate opening until
    /// both have returned. Warm: the children first run the same loop on a value of their own for 300 ms, so
    /// the JIT has optimized it; cold: they start on it at once, as a fresh .NET process would.
    /// </summary>
    public static IEnumerable<Measurement> LockedIncrements(int repeats)
    {
        const int PerChild = 100_000;
        var warm = new List<double>();
        var cold = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            foreach ((List<double> rates, bool warmUp) in new[] { (warm, true), (cold, false) })
            {
                using var value = new SharedValue<int>(0);
                using var gate = new SharedValue<int>(0);
                WorkerProcess a = WorkerProcess.Start(PrimitiveWorkers.IncrementLocked, value, gate, PerChild, warmUp);
                WorkerProcess b = WorkerProcess.Start(PrimitiveWorkers.IncrementLocked, value, gate, PerChild, warmUp);
                Gate.OpenWhenReady(gate, 2, a, b);
                long t0 = Stopwatch.GetTimestamp();

                // Until both calls have returned (their replies are in), not until the processes have exited:
                // a .NET runtime's shutdown is not part of an increment.
                Task.WaitAll(a.Completion, b.Completion);
                rates.Add(2 * PerChild / Stopwatch.GetElapsedTime(t0).TotalSeconds);
                a.Join();
                b.Join();
                Check(value.Value == 2 * PerChild, "value_array locked increments");
            }
        }

        yield return Measurement.Median("value_array.parallelgen.value_locked_incr_opsps", warm, "ops/s");
        yield return Measurement.Median("value_array.parallelgen.value_locked_incr_cold_opsps", cold, "ops/s");
    }

    /// <summary>manager_queue.py: a child puts into <c>Manager().Queue()</c>, this process gets; both are round trips to the manager process.</summary>
    public static IEnumerable<Measurement> ManagerQueue(int repeats)
    {
        const int N = 20_000;
        const int Warmup = 4_000;
        var rates = new List<double>();
        using Manager manager = Manager.Start();
        for (int r = 0; r < repeats; r++)
        {
            using ProcessQueue<int> queue = manager.Queue<int>();
            using var gate = new SharedValue<int>(0);
            WorkerProcess child = WorkerProcess.Start(PrimitiveWorkers.ProduceToManager, queue, gate, Warmup, N);
            Gate.WaitForArrivals(gate, 1, child);
            for (int i = 0; i < Warmup; i++)
            {
                queue.Get();
            }

            long t0 = Stopwatch.GetTimestamp();
            Gate.Release(gate);
            int count = 0;
            while (queue.Get() >= 0)
            {
                count++;
            }

            rates.Add(count / Stopwatch.GetElapsedTime(t0).TotalSeconds);
            child.Join();
            Check(count == N, "manager_queue count");
        }

        yield return Measurement.Median("manager_queue.parallelgen.overall_msgps", rates, "msgs/s");
    }

    /// <summary>manager_dict.py: <c>d[k] = v</c> then <c>d[k]</c> on a Manager dictionary from this process, 100 keys.</summary>
    public static IEnumerable<Measurement> ManagerDictionary(int repeats)
    {
        const int N = 10_000;
        const int Keys = 100;
        var sets = new List<double>();
        var gets = new List<double>();
        var both = new List<double>();
        using Manager manager = Manager.Start();
        ManagedDictionary<int, int> d = manager.Dictionary<int, int>();
        for (int k = 0; k < Keys; k++)
        {
            d[k] = k;
        }

        // Untimed: let the JIT optimize this process's side of the calls first.
        for (int i = 0; i < 2_000; i++)
        {
            d[i % Keys] = d[i % Keys];
        }

        for (int r = 0; r < repeats; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < N; i++)
            {
                d[i % Keys] = i;
            }

            long t1 = Stopwatch.GetTimestamp();
            long sum = 0;
            for (int i = 0; i < N; i++)
            {
                sum += d[i % Keys];
            }

            long t2 = Stopwatch.GetTimestamp();
            Check(sum == (N / Keys) * Enumerable.Range(N - Keys, Keys).Sum(x => (long)x), "manager_dict values");
            sets.Add(N / Stopwatch.GetElapsedTime(t0, t1).TotalSeconds);
            gets.Add(N / Stopwatch.GetElapsedTime(t1, t2).TotalSeconds);
            both.Add(2 * N / Stopwatch.GetElapsedTime(t0, t2).TotalSeconds);
        }

        yield return Measurement.Median("manager_dict.parallelgen.set_opsps", sets, "ops/s");
        yield return Measurement.Median("manager_dict.parallelgen.get_opsps", gets, "ops/s");
        yield return Measurement.Median("manager_dict.parallelgen.opsps", both, "ops/s");
    }

    /// <summary>
    /// 64 MiB in a <see cref="SharedArray{T}"/> to a worker that reads every byte: the first call with a new
    /// block (the worker opens and maps it, and faults its pages into its page table), then the same block
    /// again (the mapping is kept and its pages are already touched: memory speed). One worker, so the
    /// second call reads exactly the pages the first touched. The parent's fill is not timed, as
    /// large_payload.py's shm_copy_MiBps times only the map.
    /// </summary>
    public static IEnumerable<Measurement> SharedArrayMaps(int repeats)
    {
        var first = new List<double>();
        var again = new List<double>();

        // Its own pool: a worker keeps a block mapped until it exits, so this pool's exit frees the blocks.
        using var pool = new ProcessPool(processes: 1);
        pool.Map(Workers.Trivial, [1, 2]);
        for (int r = 0; r < repeats; r++)
        {
            byte fill = (byte)(r + 1);
            using var array = new SharedArray<byte>(SharedArrayBytes);
            array.AsSpan().Fill(fill);
            foreach (List<double> samples in new[] { first, again })
            {
                long t0 = Stopwatch.GetTimestamp();
                int read = pool.Apply(PrimitiveWorkers.Scan, array, fill);
                samples.Add(SharedArrayBytes / (1024.0 * 1024) / Stopwatch.GetElapsedTime(t0).TotalSeconds);
                Check(read == SharedArrayBytes, "shared_array scan");
            }
        }

        yield return Measurement.Median("shared_array.parallelgen.first_map_MiBps", first, "MiB/s");
        yield return Measurement.Median("shared_array.parallelgen.remap_MiBps", again, "MiB/s");
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"wrong result in {what}");
        }
    }
}
