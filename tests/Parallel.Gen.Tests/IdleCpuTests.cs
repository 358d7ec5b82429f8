using System.Globalization;

namespace ParallelGen.Tests;

/// <summary>
/// Nothing spins while nobody waits: an idle pool's workers and an idle manager's server take well under 1% of a core.
/// Measured in CPU time (what the processes used), not wall time, so a loaded machine does not make these flaky:
/// measured idle use is ~0.03% of a core (the worker watchdog's 200 ms tick), the bound is 1%.
/// </summary>
public sealed class IdleCpuTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    /// <summary>Time for start-up work (background JIT tiering after the first calls) to finish before measuring.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    [Fact]
    public void An_idle_pool_uses_well_under_one_percent_of_a_core()
    {
        Assert.True(OperatingSystem.IsLinux(), "This test reads per-thread CPU time from /proc, which only Linux has.");
        int[] pids;
        using (var pool = new ProcessPool(processes: 2))
        {
            pids = [.. pool.Map(W.Pid, Enumerable.Range(0, 100), chunkSize: 1).Distinct()];
            Thread.Sleep(Settle);

            TimeSpan used = CpuUsedWhileIdle(pids);

            AssertUnderOnePercent(used, $"the idle pool's {pids.Length} worker process(es) {string.Join(", ", pids)}");
        }

        ProcessAssert.AllExited(pids, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void An_idle_manager_uses_well_under_one_percent_of_a_core()
    {
        Assert.True(OperatingSystem.IsLinux(), "This test reads per-thread CPU time from /proc, which only Linux has.");
        int pid;
        using (var manager = Manager.Start())
        {
            pid = manager.ProcessId;
            SharedDictionary<string, int> counts = manager.Dictionary<string, int>();
            counts["warm"] = 1;
            Assert.Equal(1, counts["warm"]);
            Thread.Sleep(Settle);

            TimeSpan used = CpuUsedWhileIdle([pid]);

            AssertUnderOnePercent(used, $"the idle manager's server process {pid}");
        }

        ProcessAssert.AllExited([pid], TimeSpan.FromSeconds(10));
    }

    private static TimeSpan CpuUsedWhileIdle(int[] pids)
    {
        TimeSpan before = TotalCpu(pids);
        Thread.Sleep(Window);
        return TotalCpu(pids) - before;
    }

    private static void AssertUnderOnePercent(TimeSpan used, string what)
    {
        TimeSpan bound = Window * 0.01;
        Assert.True(
            used < bound,
            $"{what} used {used.TotalMilliseconds:F1} ms of CPU in {Window.TotalSeconds} s of idling, over the bound of {bound.TotalMilliseconds:F0} ms " +
            "(1% of a core): something polls or spins while nobody waits. Look at /proc/<pid>/task/*/schedstat per thread to see which.");
    }

    /// <summary>CPU time of every thread of <paramref name="pids"/> so far (nanosecond schedstat; threads that ended meanwhile are left out).</summary>
    private static TimeSpan TotalCpu(int[] pids)
    {
        long nanoseconds = 0;
        foreach (int pid in pids)
        {
            foreach (string thread in Directory.GetDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task"))
            {
                try
                {
                    string schedstat = File.ReadAllText(Path.Combine(thread, "schedstat"));
                    nanoseconds += long.Parse(schedstat.AsSpan(0, schedstat.IndexOf(' ')), CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
                {
                    // The thread ended between listing and reading.
                }
            }
        }

        return TimeSpan.FromTicks(nanoseconds / 100);
    }
}
