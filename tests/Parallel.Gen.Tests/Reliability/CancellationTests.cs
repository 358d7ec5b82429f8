using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>Cancellation end to end: queued work is dropped, running workers get the token, a worker that ignores it is killed.</summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_running_worker_gets_the_token_and_stops_without_being_killed()
    {
        using var rendezvous = new Rendezvous();
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, CancellationGracePeriod = Timeout.InfiniteTimeSpan }, events);
        using var cts = new CancellationTokenSource();

        Task<int> call = pool.ApplyAsync(R.AwaitCancellation, rendezvous.Path, cts.Token);
        using Rendezvous.Arrival running = await rendezvous.NextAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(clock.Elapsed < Prompt, $"the cancellation took {clock.Elapsed} to reach the caller");

        // The same process takes the next task: it stopped on its own, it was not killed.
        Assert.Equal(running.ProcessId, pool.Apply(W.Pid, 0));
        Assert.Single(events.Events, e => e.Kind == "cancel sent" && e.ProcessId == running.ProcessId);
        Assert.DoesNotContain(events.Events, e => e.Kind == "exited");
    }

    [Fact]
    public async Task A_worker_that_ignores_the_token_is_killed_after_the_grace_period_and_replaced()
    {
        using var rendezvous = new Rendezvous();
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, CancellationGracePeriod = TimeSpan.FromMilliseconds(200) }, events);
        using var cts = new CancellationTokenSource();

        Task<int> call = pool.ApplyAsync(R.IgnoreCancellation, rendezvous.Path, cts.Token);
        using Rendezvous.Arrival running = await rendezvous.NextAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(clock.Elapsed < Prompt, $"the cancellation took {clock.Elapsed} to reach the caller");

        PoolEvent exit = await events.WaitForExitAsync(running.ProcessId);
        Assert.Equal(WorkerExitReason.IgnoredCancellation, exit.Reason);
        Assert.NotEqual(running.ProcessId, pool.Apply(W.Pid, 0));
    }

    [Fact]
    public async Task Cancelling_a_map_stops_running_items_and_drops_queued_ones()
    {
        using var rendezvous = new Rendezvous();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, CancellationGracePeriod = Timeout.InfiniteTimeSpan });
        using var cts = new CancellationTokenSource();
        var items = Enumerable.Range(0, 40).Select(i => (rendezvous.Path, i)).ToArray();

        Task<int[]> map = pool.StarMapAsync(R.AwaitCancellationAt, items, chunkSize: 1, cancellationToken: cts.Token);
        using Rendezvous.Arrival first = await rendezvous.NextAsync();
        using Rendezvous.Arrival second = await rendezvous.NextAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => map);

        // Both workers honoured the token and took new work; none of the 38 queued items started.
        int[] pids = pool.Map(W.Pid, Enumerable.Range(0, 20), chunkSize: 1);
        Assert.Subset(new HashSet<int> { first.ProcessId, second.ProcessId }, pids.ToHashSet());
        Assert.False(rendezvous.HasWaitingArrival(), "a queued item started after the call was cancelled");
    }

    [Fact]
    public async Task Token_taking_workers_run_through_every_pool_method()
    {
        using var pool = new ProcessPool(processes: 2);
        CancellationToken ct = TestContext.Current.CancellationToken;
        int[] xs = [1, 2, 3];

        Assert.Equal([1L, 4L, 9L], pool.Map(R.TokenSquare, xs));
        Assert.Equal(new long[] { 1, 4, 9 }, await pool.MapAsync(R.TokenSquare, xs, cancellationToken: ct));
        Assert.Equal([3, 7], pool.StarMap(R.TokenAdd, [(1, 2), (3, 4)]));
        Assert.Equal(new[] { 3, 7 }, await pool.StarMapAsync(R.TokenAdd, [(1, 2), (3, 4)], cancellationToken: ct));
        Assert.Equal(9L, pool.Apply(R.TokenSquare, 3));
        Assert.Equal(9L, await pool.ApplyAsync(R.TokenSquare, 3, ct));
        Assert.Equal(5, await pool.ApplyAsync(R.TokenAdd, 2, 3, ct));
        Assert.NotEqual(Environment.ProcessId, await pool.ApplyAsync(R.TokenPid, ct));
        var streamed = new List<long>();
        await foreach (long r in pool.Imap(R.TokenSquare, xs, cancellationToken: ct))
        {
            streamed.Add(r);
        }

        await foreach (long r in pool.ImapUnordered(R.TokenSquare, xs, cancellationToken: ct))
        {
            streamed.Add(r);
        }

        Assert.Equal([1L, 4L, 9L, 1L, 4L, 9L], streamed[..3].Concat(streamed[3..].Order()));
    }

    [Fact]
    public async Task Many_threads_applying_and_cancelling_at_once_each_get_their_own_outcome()
    {
        using var rendezvous = new Rendezvous();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, CancellationGracePeriod = Timeout.InfiniteTimeSpan });
        using var cts = new CancellationTokenSource();

        Task<int>[] doomed = [.. Enumerable.Range(0, 20).Select(_ => Task.Run(() => pool.ApplyAsync(R.AwaitCancellation, rendezvous.Path, cts.Token)))];
        using Rendezvous.Arrival a = await rendezvous.NextAsync();
        using Rendezvous.Arrival b = await rendezvous.NextAsync();
        Task<int>[] sums = [.. Enumerable.Range(0, 200).Select(i => Task.Run(() => pool.ApplyAsync(W.Add, i, 1000)))];
        await cts.CancelAsync();

        foreach (Task<int> call in doomed)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        Assert.Equal(Enumerable.Range(1000, 200), await Task.WhenAll(sums));
    }
}
