namespace ParallelGen.Benchmarks.Compare;

/// <summary>
/// One line of the side-by-side table: which Python metric (fork start method, as the goals say) and which
/// of ours, whether higher is better, and the goal as a ratio (ours / Python, or Python / ours for times);
/// or, where the goal is an absolute rate (<see cref="MinimumOurs"/> &gt; 0), the least our value must reach.
/// </summary>
internal sealed record ComparisonRow(string Workload, string[] PythonMetrics, string[] OurMetrics, bool HigherIsBetter, double GoalFactor, string Goal, double MinimumOurs = 0)
{
    /// <summary>Best of the named metrics that were measured (e.g. the best chunk size).</summary>
    public static double? Best(IReadOnlyDictionary<string, Measurement> results, string[] names, bool higherIsBetter)
    {
        double[] values = [.. names.Where(results.ContainsKey).Select(n => results[n].Value)];
        return values.Length == 0 ? null : higherIsBetter ? values.Max() : values.Min();
    }

    /// <summary>How many times better we are (always "higher is better": 10 means ten times faster or ten times less latency).</summary>
    public double? Advantage(IReadOnlyDictionary<string, Measurement> results)
    {
        double? python = Best(results, PythonMetrics, HigherIsBetter);
        double? ours = Best(results, OurMetrics, HigherIsBetter);
        if (python is not { } p || ours is not { } o || p == 0 || o == 0)
        {
            return null;
        }

        return HigherIsBetter ? o / p : p / o;
    }

    public static IReadOnlyList<ComparisonRow> All { get; } =
    [
        new("Map of 1M tiny tasks, warm pool, best chunk size (tasks/s)",
            ["map_tiny.fork.chunk_default_tps", "map_tiny.fork.chunk_10000_tps"],
            [.. Workloads.PoolWorkloads.ChunkSizes.Select(c => $"map_tiny.parallelgen.chunk_{c}_tps"), "map_tiny.parallelgen.chunk_default_tps"],
            HigherIsBetter: true, 10, ">= 10x"),
        new("Map of 1M tiny tasks, default chunk size (tasks/s)",
            ["map_tiny.fork.chunk_default_tps"], ["map_tiny.parallelgen.chunk_default_tps"], HigherIsBetter: true, 10, ">= 10x"),
        new("Sequential Apply round trip, median (µs)",
            ["apply_async_latency.fork.median_us"], ["apply_async_latency.parallelgen.median_us"], HigherIsBetter: false, 10, "<= 1/10"),
        new("ImapUnordered, chunk size 1 (tasks/s)",
            ["imap_unordered.fork.chunk1_tps"], ["imap_unordered.parallelgen.chunk1_tps"], HigherIsBetter: true, 10, ">= 10x"),
        new("ImapUnordered, chunk size 100 (tasks/s)",
            ["imap_unordered.fork.chunk100_tps"], ["imap_unordered.parallelgen.chunk100_tps"], HigherIsBetter: true, 1, "(reference)"),
        new("Pool(2) constructed -> first result, JIT (ms)",
            ["pool_startup.spawn.pool2_first_task_ms"], ["pool_startup.parallelgen_jit.pool2_first_task_ms"], HigherIsBetter: false, 1, "<= spawn"),
        new("CPU-bound batch, 8 equal tasks, speed-up over serial (x)",
            ["cpu_bound_speedup.fork.speedup_warm"], ["cpu_bound_speedup.parallelgen.speedup_warm"], HigherIsBetter: true, 0, ">= 1.9x over serial"),
        new("128 MiB of byte arrays to workers by value (MiB/s)",
            ["large_payload.fork.pickle_map_MiBps"], ["large_payload.parallelgen.by_value_map_MiBps"], HigherIsBetter: true, 5, ">= 5x"),
        new("Lock acquire+release, uncontended (ops/s)",
            ["lock_contention.fork.uncontended_opsps"], ["lock_contention.parallelgen.uncontended_opsps"], HigherIsBetter: true, 1, "(reference)"),
        new("Lock acquire+release, 2 processes contending (ops/s)",
            ["lock_contention.fork.contended_2proc_opsps"], ["lock_contention.parallelgen.contended_2proc_opsps"], HigherIsBetter: true, 1, "(reference)"),
        new("ProcessQueue small messages, one producer process (msgs/s)",
            ["queue_throughput.fork.mp_queue_msgps"], ["queue_throughput.parallelgen.queue_msgps"], HigherIsBetter: true, 5, ">= 5x"),
        new("Pipe small messages, one sender process (msgs/s)",
            ["queue_throughput.fork.pipe_msgps"], ["queue_throughput.parallelgen.pipe_msgps"], HigherIsBetter: true, 1, "(reference)"),
        new("Manager queue, one producer process (msgs/s)",
            ["manager_queue.fork.overall_msgps"], ["manager_queue.parallelgen.overall_msgps"], HigherIsBetter: true, 10, ">= 10x"),
        new("Manager dict set and get from the parent (ops/s)",
            ["manager_dict.fork.opsps"], ["manager_dict.parallelgen.opsps"], HigherIsBetter: true, 10, ">= 10x"),
        new("SharedValue locked increments, 2 processes (ops/s)",
            ["value_array.fork.value_locked_incr_opsps"], ["value_array.parallelgen.value_locked_incr_opsps"], HigherIsBetter: true, 5, ">= 5x"),
        new("64 MiB SharedArray, first map in the workers (MiB/s; Python: shared_memory copy)",
            ["large_payload.fork.shm_copy_MiBps"], ["shared_array.parallelgen.first_map_MiBps"], HigherIsBetter: true, 1, ">= 1.5 GiB/s", MinimumOurs: 1536),
        new("64 MiB SharedArray, mapped again (MiB/s; Python: shared_memory copy)",
            ["large_payload.fork.shm_copy_MiBps"], ["shared_array.parallelgen.remap_MiBps"], HigherIsBetter: true, 1, "memory speed (reference)"),
        new("Bounded queue (capacity 100), 1 producer process -> parent (msgs/s)",
            ["bounded_queue.fork.maxsize100_msgps"], ["bounded_queue.parallelgen.capacity100_msgps"], HigherIsBetter: true, 1, "(reference)"),
    ];
}
