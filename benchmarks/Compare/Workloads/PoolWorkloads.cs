using System.Diagnostics;

namespace ParallelGen.Benchmarks.Compare.Workloads;

/// <summary>
/// Parallel.Gen's side of the Python scripts, measured the way they measure: warm pool of 2, only the
/// call timed, median over repeats. Metric names mirror the scripts' (<c>parallelgen.</c> instead of the
/// script name's start method).
/// </summary>
internal static class PoolWorkloads
{
    public static readonly int[] ChunkSizes = [100, 1_000, 10_000, 62_500, 125_000, 250_000];

    public static IEnumerable<Measurement> MapTiny(ProcessPool pool, int repeats)
    {
        const int N = 1_000_000;
        int[] items = [.. Enumerable.Range(0, N)];
        long expected = items.Sum(x => (long)x * x);
        foreach (int chunk in ChunkSizes)
        {
            var samples = new List<double>();
            for (int i = 0; i < repeats; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                long[] r = pool.Map(Workers.Square, items, chunk);
                samples.Add(N / Stopwatch.GetElapsedTime(t0).TotalSeconds);
                Check(r.Sum() == expected, "map_tiny result");
            }

            yield return Measurement.Median($"map_tiny.parallelgen.chunk_{chunk}_tps", samples, "tasks/s");
        }

        var defaults = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            pool.Map(Workers.Square, items);
            defaults.Add(N / Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        yield return Measurement.Median("map_tiny.parallelgen.chunk_default_tps", defaults, "tasks/s");
    }

    public static IEnumerable<Measurement> ApplyLatency(ProcessPool pool, int repeats)
    {
        const int Calls = 10_000;
        var medians = new List<double>();
        var p99s = new List<double>();
        var asyncMedians = new List<double>();
        var latencies = new double[Calls];
        for (int round = 0; round < repeats; round++)
        {
            for (int i = 0; i < Calls; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                pool.Apply(Workers.Trivial, i);
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }

            Array.Sort(latencies);
            medians.Add(latencies[Calls / 2]);
            p99s.Add(latencies[(int)(Calls * 0.99)]);

            for (int i = 0; i < Calls; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                pool.ApplyAsync(Workers.Trivial, i).GetAwaiter().GetResult();
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }

            Array.Sort(latencies);
            asyncMedians.Add(latencies[Calls / 2]);
        }

        yield return Measurement.Median("apply_async_latency.parallelgen.median_us", medians, "us");
        yield return Measurement.Median("apply_async_latency.parallelgen.p99_us", p99s, "us");
        yield return Measurement.Median("apply_async_latency.parallelgen.apply_async_median_us", asyncMedians, "us");
    }

    public static IEnumerable<Measurement> ImapUnordered(ProcessPool pool, int repeats)
    {
        const int N = 100_000;
        foreach ((string label, int chunk, bool ordered, int count) in new[] { ("chunk1", 1, false, 20_000), ("chunk100", 100, false, N), ("imap_ordered_chunk100", 100, true, N) })
        {
            // One untimed call first: the parent's per-chunk path is still being compiled (tiered JIT) during the first
            // calls, which at 20,000 tiny chunks is most of a timed call; Python's side has no JIT to warm.
            Drain(pool, count, chunk, ordered).GetAwaiter().GetResult();
            var samples = new List<double>();
            for (int i = 0; i < repeats; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                int seen = Drain(pool, count, chunk, ordered).GetAwaiter().GetResult();
                samples.Add(seen / Stopwatch.GetElapsedTime(t0).TotalSeconds);
                Check(seen == count, "imap count");
            }

            yield return Measurement.Median($"imap_unordered.parallelgen.{label}_tps", samples, "tasks/s");
        }
    }

    private static async Task<int> Drain(ProcessPool pool, int count, int chunk, bool ordered)
    {
        int seen = 0;
        IAsyncEnumerable<long> stream = ordered
            ? pool.Imap(Workers.Square, Enumerable.Range(0, count), chunk)
            : pool.ImapUnordered(Workers.Square, Enumerable.Range(0, count), chunk);
        await foreach (long _ in stream)
        {
            seen++;
        }

        return seen;
    }

    /// <summary>cpu_bound_speedup.py: 8 equal CPU-bound tasks, serial vs pool.Map, ratio per repeat (so slow phases hit both sides).</summary>
    public static IEnumerable<Measurement> CpuBound(ProcessPool pool, int repeats)
    {
        // Python's burn(2_000_000) takes ~75 ms a call; size ours to similar work per task, so the ratio compares like with like.
        WarmUpBurn(pool);
        int n = CalibrateBurn(TimeSpan.FromMilliseconds(75));
        int[] tasks = [.. Enumerable.Repeat(n, 8)];
        var speedups = new List<double>();
        var poolSeconds = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            // Serial is the same 8 tasks as one chunk on one worker: the very code the pool runs, compiled by a worker's JIT
            // (the parent's own tiering of Burn differs from a worker's, measured up to 2x either way, which would make the
            // ratio about the JIT and not about the pool). Python's serial runs in its parent: one interpreter, same code.
            long t0 = Stopwatch.GetTimestamp();
            // Burn's total wraps around for long tasks (as Python's int would not); compare wrapped sums, unchecked.
            long serial = pool.Map(Workers.Burn, tasks, chunkSize: tasks.Length).Aggregate(0L, (a, b) => unchecked(a + b));
            double serialS = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            t0 = Stopwatch.GetTimestamp();
            long parallel = pool.Map(Workers.Burn, tasks, chunkSize: 1).Aggregate(0L, (a, b) => unchecked(a + b));
            double poolS = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            Check(serial == parallel, "cpu_bound result");
            speedups.Add(serialS / poolS);
            poolSeconds.Add(poolS);
        }

        yield return Measurement.Median("cpu_bound_speedup.parallelgen.pool_warm_s", poolSeconds, "s");
        yield return Measurement.Median("cpu_bound_speedup.parallelgen.speedup_warm", speedups, "x");
    }

    /// <summary>large_payload.py (a): 16 × 8 MiB byte arrays mapped to workers by value.</summary>
    public static IEnumerable<Measurement> LargePayload(ProcessPool pool, int repeats)
    {
        const int Items = 16;
        const int Size = 8 * 1024 * 1024;
        byte[][] items = [.. Enumerable.Range(0, Items).Select(i => { var b = new byte[Size]; b.AsSpan().Fill((byte)i); return b; })];
        var samples = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            int[] lengths = pool.Map(Workers.Length, items);
            samples.Add(Items * (double)Size / (1024 * 1024) / Stopwatch.GetElapsedTime(t0).TotalSeconds);
            Check(lengths.All(l => l == Size), "large_payload lengths");
        }

        yield return Measurement.Median("large_payload.parallelgen.by_value_map_MiBps", samples, "MiB/s");
    }

    /// <summary>pool_startup.py: ProcessPool(2) constructed → first Apply result, under the JIT (this process).</summary>
    public static IEnumerable<Measurement> Startup(int repeats)
    {
        Cold();
        var samples = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            samples.Add(Cold());
        }

        yield return Measurement.Median("pool_startup.parallelgen_jit.pool2_first_task_ms", samples, "ms");

        static double Cold()
        {
            long t0 = Stopwatch.GetTimestamp();
            using var pool = new ProcessPool(processes: 2);
            Check(pool.Apply(Workers.Trivial, 1) == 2, "startup result");
            return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
    }

    /// <summary>
    /// Brings both sides of cpu_bound to steady state before timing, as Python (no JIT) is after its one warm-up map:
    /// the parent's per-chunk path and its serial Burn, and the workers' Burn, reach their final JIT tier. Spread over
    /// time on purpose: the runtime starts counting calls for tiering only after 100 ms without new JIT work, so
    /// back-to-back maps warm nothing, and unwarmed the parent's tiering JIT (~250 ms of CPU over the first ~10 maps,
    /// measured) runs during the timed maps and takes a core from a worker (docs/performance.md, "Why a CPU-bound
    /// map lost to Python, and the fix").
    /// </summary>
    private static void WarmUpBurn(ProcessPool pool)
    {
        int[] small = [.. Enumerable.Repeat(1000, 8)];
        for (int round = 0; round < 20; round++)
        {
            _ = pool.Map(Workers.Burn, small);
            foreach (int task in small)
            {
                _ = Workers.Burn(task);
            }

            Thread.Sleep(150);
        }

        // Let the background compiler finish what the last rounds queued.
        Thread.Sleep(500);
    }

    private static int CalibrateBurn(TimeSpan target)
    {
        const int Probe = 20_000_000;
        Workers.Burn(Probe);
        long t0 = Stopwatch.GetTimestamp();
        Workers.Burn(Probe);
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return (int)Math.Clamp(Probe * (target.TotalSeconds / seconds), 1_000_000, int.MaxValue);
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"wrong result in {what}");
        }
    }
}
