using System.Diagnostics;

namespace ParallelGen.Tests;

[Collection(SharedPoolDefinition.Name)]
public sealed class ProcessQueueTests(SharedPoolFixture fixture)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void Items_come_out_in_the_order_they_went_in()
    {
        using var queue = new ProcessQueue<string>();
        queue.Put("a");
        queue.Put("b");

        Assert.Equal(2, queue.Count);
        Assert.False(queue.IsEmpty);
        Assert.Equal("a", queue.Get(TestContext.Current.CancellationToken));
        Assert.Equal("b", queue.Get(TimeSpan.FromSeconds(1)));
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void Waiting_on_an_empty_queue_times_out_the_dotnet_way()
    {
        using var queue = new ProcessQueue<int>();

        var clock = Stopwatch.StartNew();
        Assert.Throws<TimeoutException>(() => queue.Get(TimeSpan.FromMilliseconds(200)));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"Get returned after {clock.Elapsed}");
        Assert.False(queue.TryGet(out _, TimeSpan.FromMilliseconds(50)));
        Assert.False(queue.TryGet(out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Get(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task A_waiting_Get_ends_when_its_token_is_cancelled()
    {
        using var queue = new ProcessQueue<int>();
        using var cancel = new CancellationTokenSource();

        Task<int> waiting = Task.Run(() => queue.Get(cancel.Token), TestContext.Current.CancellationToken);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Generous, TestContext.Current.CancellationToken));
        queue.Put(3);
        Assert.Equal(3, queue.Get(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_child_puts_squares_and_the_parent_gets_them()
    {
        using var queue = new ProcessQueue<int>();

        WorkerProcess p = WorkerProcess.Start(P.PutSquares, new[] { 1, 2, 3, 4 }, queue);

        Assert.Equal(new[] { 1, 4, 9, 16 }, Enumerable.Range(0, 4).Select(_ => queue.Get(Generous)));
        await p.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_child_waiting_on_an_empty_queue_times_out_there()
    {
        using var queue = new ProcessQueue<int>();

        Assert.Equal("timeout", await WorkerProcess.Start(P.GetWithTimeout, queue, 200).Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_queue_passed_to_pool_workers_collects_what_they_put()
    {
        using var queue = new ProcessQueue<int>();

        fixture.Pool.StarMap(P.PutSquare, Enumerable.Range(1, 20).Select(x => (queue, x)), chunkSize: 2);

        var got = new List<int>();
        while (queue.TryGet(out int square))
        {
            got.Add(square);
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(x => x * x).Order(), got.Order());
    }

    [Fact]
    public async Task Pool_workers_talk_to_each_other_through_a_queue()
    {
        using var queue = new ProcessQueue<int>();

        // Two workers of the same pool at once: one consumes what the other produces.
        Task<(long Sum, int Pid)> consumer = fixture.Pool.ApplyAsync(P.Consume, queue, 100, TestContext.Current.CancellationToken);
        Task<int> producer = fixture.Pool.ApplyAsync(P.Produce, queue, 1, 100, TestContext.Current.CancellationToken);

        (long sum, int consumerPid) = await consumer.WaitAsync(Generous, TestContext.Current.CancellationToken);
        int producerPid = await producer;
        Assert.Equal(5050, sum);
        Assert.NotEqual(producerPid, consumerPid);
        Assert.DoesNotContain(Environment.ProcessId, new[] { producerPid, consumerPid });
    }

    [Fact]
    public async Task Many_producers_and_consumers_share_one_queue_without_losing_or_repeating_items()
    {
        using var queue = new ProcessQueue<int>();

        WorkerProcess[] producers = [.. Enumerable.Range(0, 3).Select(i => WorkerProcess.Start(P.Produce, queue, i * 1000, 200))];
        WorkerProcess<(long Sum, int Pid)>[] consumers = [.. Enumerable.Range(0, 2).Select(_ => WorkerProcess.Start(P.Consume, queue, 250))];

        // The parent takes what the two consumers leave, with short timeouts: a timed-out wait must never swallow an item.
        long parentSum = 0;
        for (int taken = 0; taken < 100;)
        {
            if (queue.TryGet(out int item, TimeSpan.FromMilliseconds(1)))
            {
                parentSum += item;
                taken++;
            }
        }

        long consumed = 0;
        foreach (WorkerProcess<(long Sum, int Pid)> consumer in consumers)
        {
            consumed += (await consumer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken)).Sum;
        }

        foreach (WorkerProcess producer in producers)
        {
            await producer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
        }

        long expected = Enumerable.Range(0, 3).Sum(i => Enumerable.Range(i * 1000, 200).Sum(x => (long)x));
        Assert.Equal(expected, consumed + parentSum);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public async Task Disposing_the_queue_ends_a_wait_in_another_process_with_ObjectDisposedException()
    {
        var queue = new ProcessQueue<int>();
        using var waiting = new ProcessQueue<string>();
        WorkerProcess<int> child = WorkerProcess.Start(P.WaitForItem, queue, waiting);
        Assert.Equal("waiting", waiting.Get(Generous));

        queue.Dispose();

        var error = await Assert.ThrowsAsync<WorkerException>(() => child.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal(typeof(ObjectDisposedException).FullName, error.RemoteTypeName);
        Assert.Throws<ObjectDisposedException>(() => queue.Put(1));
    }

    [Fact]
    public void The_broker_stops_listening_once_its_last_object_is_disposed()
    {
        string? directory;
        using (var queue = new ProcessQueue<int>())
        {
            fixture.Pool.StarMap(P.PutSquare, [(queue, 2)]);
            Assert.Equal(4, queue.Get(Generous));
            directory = Brokering.Client.LocalBroker.ListeningDirectory;
            Assert.NotNull(directory);
            Assert.True(Directory.Exists(directory));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            }
        }

        Assert.False(Directory.Exists(directory), $"{directory} was left behind");
    }
}
