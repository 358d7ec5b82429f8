using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>No leaks: after Dispose, Terminate, crashes, timeouts and killed cancellations, no process, socket, pipe or directory remains.</summary>
public sealed class LeakTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Twenty_create_map_dispose_cycles_leave_no_process_socket_pipe_or_directory()
    {
        Cycle(0, null, []); // warm up: the runtime opens its own long-lived handles on first use
        HandleCount before = HandleCount.Now();
        var pids = new HashSet<int>();
        var directories = new List<string>();
        for (int i = 0; i < 20; i++)
        {
            Cycle(i, pids, directories);
        }

        ProcessAssert.AllGone(pids, ExitTimeout);
        Assert.All(directories, d => Assert.False(Directory.Exists(d), $"{d} was left behind"));
        HandleCount.Now().AssertNoMoreThan(before);
    }

    [Fact]
    public async Task Crashes_timeouts_cancellations_and_Terminate_leave_nothing_behind()
    {
        await MessyCycleAsync(0, null, []);
        HandleCount before = HandleCount.Now();
        var pids = new HashSet<int>();
        var directories = new List<string>();

        // Three of each kind (crash, timeout, ignored cancellation), ended alternately by Terminate and by Dispose.
        for (int i = 0; i < 9; i++)
        {
            await MessyCycleAsync(i, pids, directories);
        }

        ProcessAssert.AllGone(pids, ExitTimeout);
        Assert.All(directories, d => Assert.False(Directory.Exists(d), $"{d} was left behind"));
        HandleCount.Now().AssertNoMoreThan(before);
    }

    private static void Cycle(int i, HashSet<int>? pids, List<string> directories)
    {
        using var pool = new ProcessPool(processes: 2);
        directories.Add(pool.EndpointDirectory);
        int[] seen = pool.Map(W.Pid, Enumerable.Range(0, 4 + i), chunkSize: 1);
        pids?.UnionWith(seen);
    }

    /// <summary>One pool that goes through a crash, a timeout or a killed cancellation, then ends by Dispose or Terminate.</summary>
    private static async Task MessyCycleAsync(int i, HashSet<int>? pids, List<string> directories)
    {
        var events = new PoolEventLog();
        var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, TaskTimeout = TimeSpan.FromMilliseconds(300), CancellationGracePeriod = TimeSpan.Zero }, events);
        try
        {
            directories.Add(pool.EndpointDirectory);
            switch (i % 3)
            {
                case 0:
                    Assert.Throws<WorkerCrashedException>(() => pool.Apply(R.CrashOn, "", 1, 1, CrashKind.Exit));
                    break;
                case 1:
                    await Assert.ThrowsAsync<TaskTimeoutException>(() => pool.ApplyAsync(R.HangOn, 1, 1));
                    break;
                default:
                    using (var rendezvous = new Rendezvous())
                    using (var cts = new CancellationTokenSource())
                    {
                        Task<int> call = pool.ApplyAsync(R.IgnoreCancellation, rendezvous.Path, cts.Token);
                        using Rendezvous.Arrival arrival = await rendezvous.NextAsync();
                        await cts.CancelAsync();
                        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
                        await events.WaitForExitAsync(arrival.ProcessId);
                    }

                    break;
            }

            pids?.UnionWith(pool.Map(W.Pid, Enumerable.Range(0, 4), chunkSize: 1));
            pids?.UnionWith(events.Events.Where(e => e.Kind == "started").Select(e => e.ProcessId));
            if (i % 2 == 0)
            {
                pool.Terminate();
            }
        }
        finally
        {
            pool.Dispose();
        }
    }

    /// <summary>This process's open sockets and pipes (Linux: /proc/self/fd), the handles a pool opens.</summary>
    private readonly record struct HandleCount(int Sockets, int Pipes)
    {
        public static HandleCount Now()
        {
            if (!OperatingSystem.IsLinux())
            {
                return default;
            }

            int sockets = 0, pipes = 0;
            foreach (string fd in Directory.GetFiles("/proc/self/fd"))
            {
                string? target = null;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (IOException)
                {
                    // Closed while we looked.
                }

                sockets += target?.StartsWith("socket:", StringComparison.Ordinal) == true ? 1 : 0;
                pipes += target?.StartsWith("pipe:", StringComparison.Ordinal) == true ? 1 : 0;
            }

            return new HandleCount(sockets, pipes);
        }

        /// <summary>A leak shows as more handles; fewer is fine (something unrelated was finalized meanwhile).</summary>
        public void AssertNoMoreThan(HandleCount before)
        {
            Assert.True(Sockets <= before.Sockets, $"{Sockets - before.Sockets} socket(s) leaked ({before.Sockets} before, {Sockets} after)");
            Assert.True(Pipes <= before.Pipes, $"{Pipes - before.Pipes} pipe(s) leaked ({before.Pipes} before, {Pipes} after)");
        }
    }
}
