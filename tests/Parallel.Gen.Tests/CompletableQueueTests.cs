namespace ParallelGen.Tests;

/// <summary><see cref="ProcessQueue{T}.Complete"/>, the async getters and <see cref="ProcessQueue{T}.ReadAllAsync"/>.</summary>
public sealed class CompletableQueueTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void After_Complete_puts_are_refused_and_getters_drain_what_is_left_then_end()
    {
        using var queue = new ProcessQueue<int>();
        queue.Put(1);
        queue.Put(2);
        queue.Complete();
        queue.Complete();

        Assert.True(queue.IsCompleted);
        var refused = Assert.Throws<InvalidOperationException>(() => queue.Put(3));
        Assert.Contains("completed", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, queue.Get(TestContext.Current.CancellationToken));
        Assert.True(queue.TryGet(out int second, Generous));
        Assert.Equal(2, second);

        var ended = Assert.Throws<InvalidOperationException>(() => queue.Get(TestContext.Current.CancellationToken));
        Assert.Contains("the queue was completed and is empty", ended.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(queue.TryGet(out _));
        Assert.False(queue.TryGet(out _, Generous));
        Assert.Empty(queue.GetConsumingEnumerable(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Consumers_waiting_in_other_processes_end_when_the_queue_is_completed()
    {
        using var queue = new ProcessQueue<int>();
        using var waiting = new ProcessQueue<string>();
        WorkerProcess<int>[] consumers = [WorkerProcess.Start(Q.TakeUntilCompleted, queue, waiting), WorkerProcess.Start(Q.TakeUntilCompleted, queue, waiting)];

        Assert.Equal("waiting", waiting.Get(Generous));
        Assert.Equal("waiting", waiting.Get(Generous));
        await QueueWaits.UntilAsync(() => QueueWaits.HasWaiter(queue));
        for (int i = 0; i < 5; i++)
        {
            queue.Put(i);
        }

        queue.Complete();

        int[] taken = await Task.WhenAll(consumers.Select(c => c.Completion)).WaitAsync(Generous, TestContext.Current.CancellationToken);
        Assert.Equal(5, taken.Sum());
        Assert.All(consumers, c => Assert.Equal(0, c.ExitCode));
    }

    [Fact]
    public async Task ReadAllAsync_reads_until_Complete_across_processes_both_ways()
    {
        // A child producer completes the queue; the parent reads it all.
        using var fromChild = new ProcessQueue<int>(capacity: 10);
        WorkerProcess producer = WorkerProcess.Start(Q.PutThenComplete, fromChild, 100);
        long parentSum = 0;
        await foreach (int item in fromChild.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            parentSum += item;
        }

        Assert.Equal(5050, parentSum);
        Assert.True(producer.Join(Generous));

        // The parent produces with PutAsync and completes; an async child reads it all over its connection.
        using var toChild = new ProcessQueue<int>(capacity: 10);
        WorkerProcess<long> consumer = WorkerProcess.Start(Q.SumAllAsync, toChild);
        for (int i = 1; i <= 100; i++)
        {
            await toChild.PutAsync(i, TestContext.Current.CancellationToken);
        }

        toChild.Complete();
        Assert.Equal(5050, await consumer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_cancelled_GetAsync_ends_with_OperationCanceledException_and_loses_no_item()
    {
        using var queue = new ProcessQueue<int>();
        using var cancel = new CancellationTokenSource();

        Task<int> waiting = queue.GetAsync(cancel.Token);
        await QueueWaits.UntilAsync(() => QueueWaits.HasWaiter(queue));
        Assert.False(waiting.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.False(QueueWaits.HasWaiter(queue));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.GetAsync(cancel.Token));

        // In another process too: its wait is cancelled at the host, and a later item is still there for the next taker.
        Assert.Equal("cancelled", await WorkerProcess.Start(Q.GetAsyncCancelledAfter, queue, 200).Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        queue.Put(7);
        Assert.Equal(7, await queue.GetAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_waiting_GetAsync_ends_when_the_queue_is_completed()
    {
        using var queue = new ProcessQueue<int>();
        Task<int> waiting = queue.GetAsync(TestContext.Current.CancellationToken);
        await QueueWaits.UntilAsync(() => QueueWaits.HasWaiter(queue));

        queue.Complete();

        await Assert.ThrowsAsync<InvalidOperationException>(() => waiting.WaitAsync(Generous, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_manager_queue_shares_the_queue_object_so_Complete_and_the_async_getters_work_there_too()
    {
        using var manager = Manager.Start();
        using ProcessQueue<int> queue = manager.Queue<int>();
        Task<int> waiting = queue.GetAsync(TestContext.Current.CancellationToken);
        queue.Put(1);
        Assert.Equal(1, await waiting.WaitAsync(Generous, TestContext.Current.CancellationToken));

        queue.Put(2);
        queue.Complete();
        var drained = new List<int>();
        await foreach (int item in queue.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            drained.Add(item);
        }

        Assert.Equal([2], drained);
        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.GetAsync(TestContext.Current.CancellationToken));
    }
}
