namespace ParallelGen.Tests;

/// <summary>
/// A child's pipe sends reach the pipe's host in batches, which the host carries out many per lock
/// (<c>Brokering/Pipes/PipeObject.TakePosted</c>): a waiting Poll still wakes, order holds, and a send that must be refused still is.
/// </summary>
public sealed class PipeBatchTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_poll_waiting_on_an_empty_end_is_woken_by_a_childs_batched_sends_which_arrive_in_order()
    {
        var (parentEnd, childEnd) = ProcessPipe.Create<int>();
        using (parentEnd)
        using (childEnd)
        {
            Task<bool> polled = Task.Run(() => parentEnd.Poll(Generous), TestContext.Current.CancellationToken);
            WorkerProcess<int> sender = WorkerProcess.Start(Pipelined.SendNumbers, childEnd, 20_000);

            Assert.True(await polled.WaitAsync(Generous, TestContext.Current.CancellationToken));
            for (int i = 0; i < 20_000; i++)
            {
                Assert.Equal(i, parentEnd.Receive(Generous));
            }

            Assert.Equal(20_000, await sender.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
            Assert.False(parentEnd.TryReceive(out _));
        }
    }

    [Fact]
    public async Task Batched_sends_to_an_end_whose_other_side_closed_are_refused_and_the_task_fails()
    {
        var (parentEnd, childEnd) = ProcessPipe.Create<int>();
        using (childEnd)
        {
            // Nobody can ever receive what the child sends: the receiving end is closed before it starts.
            parentEnd.Dispose();
            WorkerProcess<int> sender = WorkerProcess.Start(Pipelined.SendNumbers, childEnd, 5_000);

            var error = await Assert.ThrowsAsync<WorkerException>(() => sender.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
            Assert.Contains("other end is closed", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sends_keep_their_order_around_a_receive_in_the_same_process_that_drains_while_they_arrive()
    {
        var (parentEnd, childEnd) = ProcessPipe.Create<int>();
        using (parentEnd)
        using (childEnd)
        {
            WorkerProcess<int> sender = WorkerProcess.Start(Pipelined.SendNumbers, childEnd, 50_000);
            long sum = 0;
            for (int i = 0; i < 50_000; i++)
            {
                int item = parentEnd.Receive(Generous);
                Assert.Equal(i, item);
                sum += item;
            }

            Assert.Equal(50_000L * 49_999 / 2, sum);
            Assert.Equal(50_000, await sender.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        }
    }
}
