using ParallelGen.Brokering.Queues;

namespace ParallelGen.Tests;

/// <summary>
/// The process hosting a queue or pipe takes items from the object itself (no request per item; see LocalTaker), and
/// producers' posted Puts and Sends reach it in batch frames. With real producer and consumer processes: nothing is lost or
/// taken twice, order holds, timeouts and cancellations lose nothing, a consumer process waiting on the same queue gets
/// its items, and Complete or a closed end arriving behind items in flight ends the stream only after them.
/// </summary>
public sealed class LocalTakeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void Short_timeouts_and_cancelled_gets_in_the_hosting_process_lose_no_item_of_a_streaming_producer()
    {
        const int Count = 20_000;
        using var queue = new ProcessQueue<int>();
        WorkerProcess<int> producer = WorkerProcess.Start(Q.PutAll, queue, Count);
        try
        {
            int next = 0;
            int misses = 0;
            for (int round = 0; next < Count; round++)
            {
                int item;
                switch (round % 4)
                {
                    case 0:
                        if (!queue.TryGet(out item))
                        {
                            misses++;
                            continue;
                        }

                        break;
                    case 1:
                        if (!queue.TryGet(out item, TimeSpan.FromMilliseconds(1)))
                        {
                            misses++;
                            continue;
                        }

                        break;
                    case 2:
                        try
                        {
                            using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(1));
                            item = queue.Get(soon.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            misses++;
                            continue;
                        }

                        break;
                    default:
                        item = queue.Get(Generous);
                        break;
                }

                Assert.True(item == next, $"Expected item {next}, got {item}: an item was lost or taken out of order ({misses} empty takes so far).");
                next++;
            }

            Assert.True(producer.Join(Generous));
            Assert.False(queue.TryGet(out _));
        }
        finally
        {
            Stop(producer);
        }
    }

    [Fact]
    public async Task A_consumer_process_blocked_on_the_queue_gets_its_items_while_the_host_takes_the_rest_and_none_is_taken_twice()
    {
        const int Remote = 3_000;
        const int Count = 10_000;
        using var queue = new ProcessQueue<int>();
        using var started = new ProcessQueue<string>();
        WorkerProcess<int[]> consumer = WorkerProcess.Start(LocalTakeWorkers.TakeMany, queue, started, Remote);
        WorkerProcess<int>? producer = null;
        try
        {
            Assert.Equal("taking", started.Get(Generous));
            producer = WorkerProcess.Start(Q.PutAll, queue, Count);

            var hostTook = new List<int>();
            for (int i = 0; i < Count - Remote; i++)
            {
                hostTook.Add(queue.Get(Generous));
            }

            int[] remoteTook = await consumer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
            Assert.True(producer.Join(Generous));

            // Each consumer sees the queue's order; together they took every item exactly once.
            Assert.Equal(hostTook.Order(), hostTook);
            Assert.Equal(remoteTook.Order(), remoteTook);
            Assert.Equal(Enumerable.Range(0, Count), hostTook.Concat(remoteTook).Order());
            Assert.False(queue.TryGet(out _));
        }
        finally
        {
            Stop(consumer);
            Stop(producer);
        }
    }

    [Fact]
    public void Complete_behind_items_in_flight_ends_the_hosts_consuming_enumeration_after_the_last_item()
    {
        const int Count = 20_000;
        using var queue = new ProcessQueue<int>();
        WorkerProcess producer = WorkerProcess.Start(LocalTakeWorkers.PutNumbersThenComplete, queue, Count);
        try
        {
            Assert.Equal(Enumerable.Range(0, Count), queue.GetConsumingEnumerable(TestContext.Current.CancellationToken));
            Assert.True(queue.IsCompleted);
            Assert.Throws<InvalidOperationException>(() => queue.Get(TimeSpan.FromSeconds(5)));
            Assert.True(producer.Join(Generous));
        }
        finally
        {
            Stop(producer);
        }
    }

    [Fact]
    public async Task ReadAllAsync_in_the_host_reads_a_completed_stream_in_order()
    {
        const int Count = 10_000;
        using var queue = new ProcessQueue<int>();
        WorkerProcess producer = WorkerProcess.Start(LocalTakeWorkers.PutNumbersThenComplete, queue, Count);
        try
        {
            var read = new List<int>();
            await foreach (int item in queue.ReadAllAsync(TestContext.Current.CancellationToken))
            {
                read.Add(item);
            }

            Assert.Equal(Enumerable.Range(0, Count), read);
            Assert.True(producer.Join(Generous));
        }
        finally
        {
            Stop(producer);
        }
    }

    [Fact]
    public void A_pipe_closed_behind_messages_in_flight_delivers_them_all_through_timeouts_then_ends_the_stream()
    {
        const int Count = 20_000;
        var (parentEnd, childEnd) = ProcessPipe.Create<int>();
        using (parentEnd)
        {
            WorkerProcess sender = WorkerProcess.Start(LocalTakeWorkers.SendNumbersThenClose, childEnd, Count);
            childEnd.Dispose();
            try
            {
                int next = 0;
                for (int round = 0; next < Count; round++)
                {
                    int message = -1;
                    bool got = (round % 3) switch
                    {
                        0 => parentEnd.TryReceive(out message),
                        1 => parentEnd.TryReceive(out message, TimeSpan.FromMilliseconds(1)),

                        // Poll takes nothing: what it saw is still there for the receive after it.
                        _ => parentEnd.Poll(TimeSpan.FromMilliseconds(1)) && parentEnd.TryReceive(out message),
                    };

                    if (got)
                    {
                        Assert.True(message == next, $"Expected message {next}, got {message}.");
                        next++;
                    }
                }

                Assert.True(sender.Join(Generous));
                Assert.True(parentEnd.Poll(TimeSpan.FromSeconds(5)));
                Assert.Throws<EndOfStreamException>(() => parentEnd.Receive(TimeSpan.FromSeconds(5)));
            }
            finally
            {
                Stop(sender);
            }
        }
    }

    [Fact]
    public async Task Puts_and_sends_interleaved_by_one_producer_arrive_complete_and_in_order_on_each_object()
    {
        const int Count = 20_000;
        using var queue = new ProcessQueue<int>();
        var (parentEnd, childEnd) = ProcessPipe.Create<int>();
        using (parentEnd)
        {
            WorkerProcess<int> producer = WorkerProcess.Start(LocalTakeWorkers.PutAndSendInterleaved, queue, childEnd, Count);
            childEnd.Dispose();
            try
            {
                for (int i = 0; i < Count; i++)
                {
                    Assert.Equal(i, queue.Get(Generous));
                    Assert.Equal(i, parentEnd.Receive(Generous));
                }

                Assert.Equal(Count, await producer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
                Assert.False(queue.TryGet(out _));
                Assert.Throws<EndOfStreamException>(() => parentEnd.Receive(TimeSpan.FromSeconds(5)));
            }
            finally
            {
                Stop(producer);
            }
        }
    }

    /// <summary>Ends a worker process the test started if it still runs (a failed assertion must not leave it behind).</summary>
    private static void Stop(WorkerProcess? process)
    {
        if (process is not null && !process.Join(TimeSpan.Zero))
        {
            process.Kill();
            process.Join(Generous);
        }
    }
}
