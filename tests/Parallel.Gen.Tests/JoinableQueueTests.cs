namespace ParallelGen.Tests;

/// <summary><see cref="JoinableProcessQueue{T}"/>: Python's JoinableQueue, with TaskDone from worker processes.</summary>
public sealed class JoinableQueueTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Join_returns_once_worker_processes_marked_every_item_done()
    {
        using var jobs = new JoinableProcessQueue<int>(capacity: 4);
        using var done = new ProcessQueue<int>();
        WorkerProcess<int>[] workers = [WorkerProcess.Start(Q.WorkAndMarkDone, jobs, done), WorkerProcess.Start(Q.WorkAndMarkDone, jobs, done)];

        for (int i = 1; i <= 20; i++)
        {
            jobs.Put(i);
        }

        Assert.True(jobs.Join(Generous), "Join timed out with items still unfinished.");

        // Each worker records a job before marking it done: after Join, every result is there.
        Assert.Equal(20, done.Count);
        var results = new List<int>();
        while (done.TryGet(out int result))
        {
            results.Add(result);
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => i * 10), results.Order());

        jobs.Complete();
        int[] handled = await Task.WhenAll(workers.Select(w => w.Completion)).WaitAsync(Generous, TestContext.Current.CancellationToken);
        Assert.Equal(20, handled.Sum());
    }

    [Fact]
    public async Task Join_waits_while_items_are_unfinished_and_TaskDone_too_often_throws()
    {
        using var jobs = new JoinableProcessQueue<string>();
        Assert.True(jobs.Join(TimeSpan.Zero), "An empty joinable queue has nothing unfinished.");

        jobs.Put("a");
        jobs.Put("b");
        Assert.False(jobs.Join(TimeSpan.FromMilliseconds(100)));
        Task joined = jobs.JoinAsync(TestContext.Current.CancellationToken);

        Assert.Equal("a", jobs.Get(TestContext.Current.CancellationToken));
        jobs.TaskDone();
        Assert.False(jobs.Join(TimeSpan.Zero));
        Assert.False(joined.IsCompleted);

        Assert.Equal("b", jobs.Get(TestContext.Current.CancellationToken));
        jobs.TaskDone();
        await joined.WaitAsync(Generous, TestContext.Current.CancellationToken);
        jobs.Join();

        var error = Assert.Throws<InvalidOperationException>(jobs.TaskDone);
        Assert.Contains("more times than items were put", error.Message, StringComparison.Ordinal);

        jobs.Put("c");
        using var cancel = new CancellationTokenSource();
        Task cancelled = jobs.JoinAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Generous, TestContext.Current.CancellationToken));
    }
}
