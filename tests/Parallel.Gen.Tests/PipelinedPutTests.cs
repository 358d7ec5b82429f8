using System.Diagnostics;

namespace ParallelGen.Tests;

/// <summary>
/// Puts into an unbounded queue hosted elsewhere, and pipe sends, don't wait for their answers: order per producer, no
/// loss at exit or at the end of a task, and refusals and dead hosts still surface where the docs say.
/// </summary>
public sealed class PipelinedPutTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Bursts_of_10k_puts_from_two_producer_processes_arrive_complete_and_in_each_producers_order()
    {
        const int PerProducer = 10_000;
        using var queue = new ProcessQueue<int>();
        WorkerProcess<int> first = WorkerProcess.Start(Pipelined.PutTagged, queue, 1, PerProducer);
        WorkerProcess<int> second = WorkerProcess.Start(Pipelined.PutTagged, queue, 2, PerProducer);

        int[] next = new int[3];
        for (int taken = 0; taken < 2 * PerProducer; taken++)
        {
            int item = queue.Get(Generous);
            int tag = item / 1_000_000;
            int index = item % 1_000_000;
            Assert.True(tag is 1 or 2, $"Unexpected item {item}.");
            Assert.True(index == next[tag], $"Producer {tag}: expected item {next[tag]}, got {index} (an item was lost or overtaken).");
            next[tag]++;
        }

        Assert.Equal(PerProducer, await first.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal(PerProducer, await second.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.False(queue.TryGet(out _));
    }

    [Fact]
    public async Task A_task_that_returns_right_after_putting_has_every_item_in_the_queue_when_its_result_arrives()
    {
        using var queue = new ProcessQueue<int>();
        WorkerProcess<int> producer = WorkerProcess.Start(Q.PutAll, queue, 5000);
        Assert.Equal(5000, await producer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));

        // No waiting: the task reported done only after the host confirmed its puts.
        Assert.Equal(5000, queue.Count);
        for (int i = 0; i < 5000; i++)
        {
            Assert.True(queue.TryGet(out int item));
            Assert.Equal(i, item);
        }
    }

    [Fact]
    public async Task A_producer_that_exits_right_after_putting_loses_nothing()
    {
        using var queue = new ProcessQueue<int>();
        WorkerProcess producer = WorkerProcess.Start(Pipelined.PutAndExit, queue, 5000);

        // It exits without a result; its exit handler waited for the host to confirm the puts.
        await Assert.ThrowsAnyAsync<Exception>(() => producer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal(5000, queue.Count);
        Assert.Equal(Enumerable.Range(0, 5000), Enumerable.Range(0, 5000).Select(_ => queue.Get(Generous)));
    }

    [Fact]
    public async Task A_put_into_a_completed_queue_is_refused_at_Flush_at_the_latest()
    {
        using var queue = new ProcessQueue<int>();
        queue.Complete();

        WorkerProcess<string> producer = WorkerProcess.Start(Pipelined.PutIntoCompletedThenFlush, queue);
        string outcome = await producer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);

        // The put itself returns before the host answers; the refusal comes with Flush (or, if it had already arrived, the put).
        Assert.StartsWith("flush threw: ", outcome, StringComparison.Ordinal);
        Assert.Contains("was refused", outcome, StringComparison.Ordinal);
        Assert.Contains("completed", outcome, StringComparison.Ordinal);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public async Task A_task_whose_pipelined_put_was_refused_fails_instead_of_succeeding()
    {
        using var queue = new ProcessQueue<int>();
        queue.Complete();

        WorkerProcess<int> producer = WorkerProcess.Start(Pipelined.PutIntoCompletedAndReturn, queue);
        var error = await Assert.ThrowsAsync<WorkerException>(() => producer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Contains("was refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bounded_queue_never_holds_more_than_its_capacity_while_a_producer_puts_as_fast_as_it_can()
    {
        const int Capacity = 50;
        const int Items = 2000;
        using var queue = new ProcessQueue<int>(Capacity);
        WorkerProcess<int> producer = WorkerProcess.Start(Q.PutAll, queue, Items);

        for (int i = 0; i < Items; i++)
        {
            int count = queue.Count;
            Assert.True(count <= Capacity, $"A queue of capacity {Capacity} held {count} items.");
            Assert.Equal(i, queue.Get(Generous));
        }

        Assert.Equal(Items, await producer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Slots_lent_to_a_producer_that_exits_are_room_for_others_again()
    {
        using var queue = new ProcessQueue<int>(capacity: 10);

        // Its one put waits for the answer, which lends it slots for its next puts; it exits without using them.
        WorkerProcess<int> producer = WorkerProcess.Start(Q.PutAll, queue, 1);
        Assert.Equal(1, await producer.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.True(producer.Join(Generous));

        // The other 9 slots are free again once the host sees the producer's connection close (these puts wait for that).
        for (int i = 0; i < 9; i++)
        {
            queue.Put(i, Generous);
        }

        Assert.Equal(10, queue.Count);
        Assert.True(queue.IsFull);
        Assert.False(queue.TryPut(99, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_producer_whose_host_was_killed_gets_an_IOException_not_a_hang()
    {
        using var manager = Manager.Start();
        ProcessQueue<int> queue = manager.Queue<int>();
        for (int i = 0; i < 100; i++)
        {
            queue.Put(i);
        }

        queue.Flush();
        using (Process host = Process.GetProcessById(manager.ProcessId))
        {
            host.Kill();
            await host.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Generous, TestContext.Current.CancellationToken);
        }

        // Puts may still be taken (queued for sending) until the break is seen; Flush then says so, and nothing hangs.
        Task producing = Task.Run(
            () =>
            {
                for (int i = 0; i < 1000; i++)
                {
                    queue.Put(i);
                }

                queue.Flush();
            },
            TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<IOException>(() => producing.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Contains(manager.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);

        // Dispose throws too if puts may still have been on their way; either way it doesn't hang.
        try
        {
            queue.Dispose();
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Ten_thousand_pipe_sends_from_a_child_arrive_in_order()
    {
        var (parentEnd, childEnd) = ProcessPipe.Create<int>();
        using (parentEnd)
        using (childEnd)
        {
            WorkerProcess<int> sender = WorkerProcess.Start(Pipelined.SendNumbers, childEnd, 10_000);
            for (int i = 0; i < 10_000; i++)
            {
                Assert.Equal(i, parentEnd.Receive(Generous));
            }

            Assert.Equal(10_000, await sender.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public void A_manager_makes_bounded_and_joinable_queues()
    {
        using var manager = Manager.Start();
        using ProcessQueue<int> bounded = manager.Queue<int>(2);
        Assert.Equal(2, bounded.Capacity);
        bounded.Put(1);
        bounded.Put(2);
        Assert.True(bounded.IsFull);
        Assert.False(bounded.TryPut(3, TimeSpan.Zero));
        Assert.Equal(1, bounded.Get(Generous));
        Assert.True(bounded.TryPut(3, TimeSpan.Zero));
        Assert.Equal(2, bounded.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => manager.Queue<int>(0));

        using JoinableProcessQueue<string> jobs = manager.JoinableQueue<string>();
        Assert.Null(jobs.Capacity);
        jobs.Put("a");
        jobs.Put("b");
        Assert.False(jobs.Join(TimeSpan.Zero));
        Assert.Equal("a", jobs.Get(Generous));
        jobs.TaskDone();
        Assert.Equal("b", jobs.Get(Generous));
        jobs.TaskDone();
        Assert.True(jobs.Join(Generous));
        Assert.Throws<InvalidOperationException>(jobs.TaskDone);

        using JoinableProcessQueue<int> boundedJobs = manager.JoinableQueue<int>(1);
        Assert.Equal(1, boundedJobs.Capacity);
        boundedJobs.Put(7);
        Assert.False(boundedJobs.TryPut(8, TimeSpan.Zero));
    }
}
