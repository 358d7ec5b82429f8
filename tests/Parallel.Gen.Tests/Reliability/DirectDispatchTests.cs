using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>
/// The low-latency paths: a chunk that finds a worker idle is sent from the caller's thread, the next one from the thread
/// that read the reply; a worker runs a chunk on whichever of its two threads received it. None of that may change an
/// outcome: results, cancellation, recycling, draining and big payloads behave as on any other path.
/// </summary>
public sealed class DirectDispatchTests
{
    private static readonly TimeSpan NoHang = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Blocking_Applies_from_several_threads_at_once_each_get_their_own_result()
    {
        using var pool = new ProcessPool(processes: 2);

        // Callers race for the two idle workers: the winners send from their own threads, the others queue.
        Task[] callers = [.. Enumerable.Range(0, 4).Select(t => Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < 250; i++)
                {
                    Assert.Equal((t * 1000) + i, pool.Apply(W.Add, t * 1000, i));
                }
            },
            TaskCreationOptions.LongRunning))];

        await Task.WhenAll(callers).WaitAsync(NoHang, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Every_call_of_a_worker_gets_its_cancel_whichever_of_its_threads_runs_it()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, CancellationGracePeriod = Timeout.InfiniteTimeSpan }, events);
        int? pid = null;

        // The worker's two threads take turns: four calls in a row run on both of them.
        for (int round = 0; round < 4; round++)
        {
            using var rendezvous = new Rendezvous();
            using var cts = new CancellationTokenSource();
            Task<int> call = pool.ApplyAsync(R.AwaitCancellation, rendezvous.Path, cts.Token);
            using Rendezvous.Arrival running = await rendezvous.NextAsync();
            pid ??= running.ProcessId;
            Assert.Equal(pid, running.ProcessId);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(NoHang, TestContext.Current.CancellationToken));
        }

        // Each call stopped on its own token: the same process is still there, never killed.
        Assert.Equal(pid, pool.Apply(W.Pid, 0));
        Assert.Equal(4, events.Events.Count(e => e.Kind == "cancel sent"));
        Assert.DoesNotContain(events.Events, e => e.Kind == "exited");
    }

    [Fact]
    public async Task Large_arguments_cross_intact_while_small_calls_run_beside_them()
    {
        using var pool = new ProcessPool(processes: 2);
        byte[][] payloads = [.. Enumerable.Range(0, 3).Select(i =>
        {
            // Bigger than one blocking send takes: these go through the background send path.
            byte[] data = new byte[(6 * 1024 * 1024) + i];
            new Random(i).NextBytes(data);
            return data;
        })];

        Task<byte[]>[] big = [.. payloads.Select(p => pool.ApplyAsync(W.Checksum, p))];
        Task small = Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < 200; i++)
                {
                    Assert.Equal((long)i * i, pool.Apply(W.Square, i));
                }
            },
            TaskCreationOptions.LongRunning);

        await small.WaitAsync(NoHang, TestContext.Current.CancellationToken);
        for (int i = 0; i < payloads.Length; i++)
        {
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(payloads[i]), await big[i].WaitAsync(NoHang, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public void Blocking_Applies_recycle_a_worker_after_MaxTasksPerChild_without_a_failure()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 2 }, events);

        int[] pids = [.. Enumerable.Range(0, 6).Select(i => pool.Apply(W.Pid, i))];

        Assert.Equal(3, pids.Distinct().Count());
        Assert.All(pids.GroupBy(p => p), g => Assert.Equal(2, g.Count()));
        Assert.Empty(events.Exits(WorkerExitReason.Crashed));
    }

    [Fact]
    public async Task Idle_workers_leave_cleanly_on_Close_and_Join()
    {
        var events = new PoolEventLog();
        var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2 }, events);
        try
        {
            Assert.Equal(3, pool.Apply(W.Add, 1, 2));
            int[] pids = pool.Map(W.Pid, Enumerable.Range(0, 4), chunkSize: 1);

            // Both workers sit idle, waiting for a chunk; Close + Join must ask them to leave, not wait for one.
            pool.Close();
            await pool.JoinAsync().WaitAsync(NoHang, TestContext.Current.CancellationToken);

            Assert.All(pids.Distinct(), pid => Assert.Contains(events.Events, e => e.Kind == "exited" && e.ProcessId == pid && e.Reason == WorkerExitReason.Drained));
            Assert.Empty(events.Exits(WorkerExitReason.Crashed));
        }
        finally
        {
            pool.Dispose();
        }
    }
}
