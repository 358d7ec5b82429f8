using System.Diagnostics;

namespace ParallelGen.Benchmarks;

/// <summary>
/// <c>--profile NAME COUNT</c>: runs one primitive benchmark COUNT times without BenchmarkDotNet, so a
/// profiler attached to the process tree sees only that workload, and prints the time per message.
/// <code>
/// strace -f -c -o /tmp/queue.strace bin/Release/net10.0/Parallel.Gen.Benchmarks --profile queue 50
/// perf stat -e context-switches,task-clock -- bin/Release/net10.0/Parallel.Gen.Benchmarks --profile queue 50
/// </code>
/// Each count is 1,000 messages (queue, pipe), 200,000 increments (shared-value), one 64 MiB call (by-value) or one operation (manager-*, apply*).
/// </summary>
internal static class ProfileLoop
{
    public static int Run(string name, int count)
    {
        (Action run, Action cleanup, int perRun) = name switch
        {
            "queue" => Make(new QueueBenchmarks(), b => b.Setup(), b => b.QueueFromWorker(), 1_000),
            "pipe" => Make(new QueueBenchmarks(), b => b.Setup(), b => b.PipeFromWorker(), 1_000),
            "shared-value" => Make(new SharedValueBenchmarks(), b => b.Setup(), b => b.TwoWorkers(), 200_000),
            "by-value" => Make(new PayloadBenchmarks(), b => b.Setup(), b => b.ByValue(), 1),
            "manager-dict-get" => Make(new ManagerBenchmarks(), b => b.Setup(), b => b.DictionaryGet(), 1),
            "manager-dict-set" => Make(new ManagerBenchmarks(), b => b.Setup(), b => b.DictionarySet(), 1),
            "shm-roundtrip" => Make(new TransportBenchmarks { Transport = TransportKind.SharedMemory, Size = 64 }, b => b.Setup(), b => b.RoundTrip(), 1),
            "socket-roundtrip" => Make(new TransportBenchmarks { Transport = TransportKind.Socket, Size = 64 }, b => b.Setup(), b => b.RoundTrip(), 1),
            "futex-pingpong" => Make(new MachineLimitBenchmarks { Mode = "futex" }, b => b.Setup(), b => b.PingPong(), 1),
            "apply" => Make(new ApplyBenchmarks { CallersRead = true }, b => b.Setup(), b => b.Apply(), 1),
            "apply-reply-thread" => Make(new ApplyBenchmarks { CallersRead = false }, b => b.Setup(), b => b.Apply(), 1),
            "apply-async" => Make(new ApplyBenchmarks { CallersRead = true }, b => b.Setup(), b => b.ApplyAsyncAwaited(), 1),
            "apply-async-reply-thread" => Make(new ApplyBenchmarks { CallersRead = false }, b => b.Setup(), b => b.ApplyAsyncAwaited(), 1),
            "imap-chunk1" => Make(new PoolBenchmarks(), b => b.Setup(), b => b.ImapUnorderedChunk1().GetAwaiter().GetResult(), PoolBenchmarks.ImapChunk1Items),
            "imap-chunk100" => Make(new PoolBenchmarks(), b => b.Setup(), b => b.ImapUnordered100k().GetAwaiter().GetResult(), 100_000),
            "map-tiny" => Make(new PoolBenchmarks(), b => b.Setup(), b => b.MapMillionInts(), 1_000_000),
            _ => throw new ArgumentException($"--profile: unknown workload '{name}'; use queue, pipe, shared-value, by-value, manager-dict-get, manager-dict-set, shm-roundtrip, socket-roundtrip, futex-pingpong, apply, apply-reply-thread, apply-async, apply-async-reply-thread, imap-chunk1, imap-chunk100 or map-tiny."),
        };

        try
        {
            // Warm up (the first runs compile), then time and sample every thread's CPU and context switches.
            run();
            int[] processes = [Environment.ProcessId, .. ChildProcesses()];
            ThreadCpu before = ThreadCpu.Take(processes);
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                run();
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(t0);
            ThreadCpu after = ThreadCpu.Take(processes);
            long operations = (long)count * perRun;
            Console.WriteLine($"{name}: {operations:N0} operations in {elapsed.TotalMilliseconds:N0} ms, {elapsed.TotalMicroseconds / operations:N3} µs each ({operations / elapsed.TotalSeconds:N0} per second)");
            Console.WriteLine(after.Since(before, operations, pid => pid == Environment.ProcessId ? "parent" : $"child {pid}"));

            // The parent's garbage per run and its collections (gen0/gen1/gen2) over the loop: what the GC costs this workload.
            Console.WriteLine($"parent GC: {(GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / count:N0} bytes allocated per run, collections gen0/1/2 {GC.CollectionCount(0) - collectionsBefore[0]}/{GC.CollectionCount(1) - collectionsBefore[1]}/{GC.CollectionCount(2) - collectionsBefore[2]} in {count} runs");
            return 0;
        }
        finally
        {
            cleanup();
        }
    }

    /// <summary>This process's children (the pool's workers, a manager): from /proc, so it works for every benchmark class.</summary>
    private static IEnumerable<int> ChildProcesses()
    {
        string self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string task in Directory.EnumerateDirectories($"/proc/{self}/task"))
        {
            string children = Path.Combine(task, "children");
            if (File.Exists(children))
            {
                foreach (string pid in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
    }

    private static (Action, Action, int) Make<T>(T benchmark, Action<T> setup, Action<T> run, int perRun)
        where T : IDisposable
    {
        setup(benchmark);
        return (() => run(benchmark), benchmark.Dispose, perRun);
    }
}
