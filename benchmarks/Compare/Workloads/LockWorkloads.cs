using System.Diagnostics;

namespace ParallelGen.Benchmarks.Compare.Workloads;

/// <summary>
/// lock_contention.py's measurements with <see cref="ProcessLock"/>: acquire/release pairs per second in one
/// process, and with two child processes hammering one lock at once (timed from the start event until both
/// released a 'done' semaphore, so process start and exit are not counted, as in the script).
/// </summary>
internal static class LockWorkloads
{
    private const int Uncontended = 5_000_000;
    private const int Contended = 1_000_000;

    public static IEnumerable<Measurement> Run(int repeats)
    {
        var free = new List<double>();
        var busy = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            free.Add(UncontendedOps());
            busy.Add(ContendedOps());
        }

        yield return Measurement.Median("lock_contention.parallelgen.uncontended_opsps", free, "ops/s");
        yield return Measurement.Median("lock_contention.parallelgen.contended_2proc_opsps", busy, "ops/s");
    }

    [Worker]
    public static void Hammer(ProcessLock gate, ProcessEvent go, ProcessSemaphore done, int count)
    {
        go.Wait();
        for (int i = 0; i < count; i++)
        {
            gate.Acquire();
            gate.Release();
        }

        done.Release();
    }

    private static double UncontendedOps()
    {
        using var gate = new ProcessLock();
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < Uncontended; i++)
        {
            gate.Acquire();
            gate.Release();
        }

        return Uncontended / Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static double ContendedOps()
    {
        using var gate = new ProcessLock();
        using var go = new ProcessEvent();
        using var done = new ProcessSemaphore(0, 2);
        WorkerProcess[] children = [WorkerProcess.Start(Hammer, gate, go, done, Contended), WorkerProcess.Start(Hammer, gate, go, done, Contended)];
        Thread.Sleep(300); // let both reach go.Wait(), as the script does
        long t0 = Stopwatch.GetTimestamp();
        go.Set();
        done.Acquire();
        done.Acquire();
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        foreach (WorkerProcess child in children)
        {
            child.Join();
        }

        return 2 * Contended / seconds;
    }
}
