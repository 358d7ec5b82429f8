namespace ParallelGen.Tests;

/// <summary>Bounded queues (Python's <c>Queue(maxsize)</c>): puts wait for room, in order, without polling.</summary>
public sealed class BoundedQueueTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_fast_producer_in_another_process_waits_for_a_slow_consumer_and_order_is_kept()
    {
        using var queue = new ProcessQueue<int>(capacity: 3);

        WorkerProcess<int> producer = WorkerProcess.Start(Q.PutAll, queue, 30);

        // The producer fills the queue and then blocks in Put: its wait is parked where the queue is hosted.
        await QueueWaits.UntilAsync(() => queue.IsFull && QueueWaits.HasWaiter(queue));
        Assert.False(producer.Completion.IsCompleted);
        Assert.Equal(3, queue.Count);

        var taken = new List<int>();
        for (int i = 0; i < 30; i++)
        {
            taken.Add(queue.Get(Generous));
            Assert.True(queue.Count <= 3, $"A queue of capacity 3 held {queue.Count} items.");
        }

        Assert.Equal(Enumerable.Range(0, 30), taken);
        Assert.Equal(30, await producer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void TryPut_and_Put_with_a_timeout_give_up_on_a_full_queue_without_putting()
    {
        using var queue = new ProcessQueue<string>(capacity: 1);
        queue.Put("first");

        Assert.True(queue.IsFull);
        Assert.Equal(1, queue.Capacity);
        Assert.False(queue.TryPut("second", TimeSpan.FromMilliseconds(200)));
        Assert.False(queue.TryPut("second", TimeSpan.Zero));
        var error = Assert.Throws<TimeoutException>(() => queue.Put("second", TimeSpan.FromMilliseconds(100)));
        Assert.Contains("still full", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, queue.Count);

        Assert.Equal("first", queue.Get(Generous));
        Assert.False(queue.IsFull);
        Assert.True(queue.TryPut("third", TimeSpan.Zero));
        Assert.Equal("third", queue.Get(Generous));
        Assert.False(queue.TryGet(out _));
    }

    [Fact]
    public void Capacities_are_checked_and_an_unbounded_queue_is_never_full()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessQueue<int>(capacity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JoinableProcessQueue<int>(capacity: -1));

        using var unbounded = new ProcessQueue<int>();
        for (int i = 0; i < 100; i++)
        {
            unbounded.Put(i);
        }

        Assert.False(unbounded.IsFull);
        Assert.Null(unbounded.Capacity);
    }

    [Fact]
    public async Task PutAsync_waits_for_room_without_a_thread_and_a_cancelled_PutAsync_puts_nothing()
    {
        using var queue = new ProcessQueue<int>(capacity: 1);
        await queue.PutAsync(1, TestContext.Current.CancellationToken);

        Task waiting = queue.PutAsync(2, TestContext.Current.CancellationToken);
        await QueueWaits.UntilAsync(() => QueueWaits.HasWaiter(queue));
        Assert.False(waiting.IsCompleted);

        Assert.Equal(1, await queue.GetAsync(TestContext.Current.CancellationToken));
        await waiting.WaitAsync(Generous, TestContext.Current.CancellationToken);

        using var cancel = new CancellationTokenSource();
        Task cancelled = queue.PutAsync(3, cancel.Token);
        await QueueWaits.UntilAsync(() => QueueWaits.HasWaiter(queue));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Generous, TestContext.Current.CancellationToken));

        Assert.Equal(2, queue.Get(Generous));
        Assert.False(queue.TryGet(out _), "A put whose wait was cancelled must not put its item.");
    }
}

internal static class QueueWaits
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <summary>Whether someone is parked on <paramref name="queue"/> where it is hosted (this process).</summary>
    public static bool HasWaiter<T>(ProcessQueue<T> queue) => Brokering.Client.LocalBroker.Server.HasWaiter(queue.Handle.Id);

    public static bool HasWaiter<T>(PipeEnd<T> end) => Brokering.Client.LocalBroker.Server.HasWaiter(end.Handle.Id);

    /// <summary>Waits for a condition in another process to show here; there is no cross-process signal for "is now blocked", so this polls.</summary>
    public static async Task UntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Generous);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
