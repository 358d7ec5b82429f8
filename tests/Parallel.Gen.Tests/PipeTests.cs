namespace ParallelGen.Tests;

public sealed class PipeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_child_sends_messages_until_END_and_the_parent_receives_them_in_order()
    {
        var (parentEnd, childEnd) = ProcessPipe.Create<string>();
        using (parentEnd)
        using (childEnd)
        {
            WorkerProcess p = WorkerProcess.Start(P.SendMessages, childEnd, 5);

            var received = new List<string>();
            for (string message = parentEnd.Receive(Generous); message != "END"; message = parentEnd.Receive(Generous))
            {
                received.Add(message);
            }

            Assert.Equal(Enumerable.Range(0, 5).Select(i => "message " + i), received);
            await p.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Both_ends_send_and_receive()
    {
        var (parentEnd, childEnd) = ProcessPipe.Create<string>();
        using (parentEnd)
        using (childEnd)
        {
            WorkerProcess<string> p = WorkerProcess.Start(P.Echo, childEnd);
            parentEnd.Send("ping");

            Assert.Equal("PING", parentEnd.Receive(Generous));
            Assert.Equal("ping", await p.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Receiving_after_the_other_end_closed_throws_EndOfStreamException_once_everything_is_read()
    {
        var (parentEnd, childEnd) = ProcessPipe.Create<string>();
        using (parentEnd)
        {
            WorkerProcess p = WorkerProcess.Start(P.SendThenClose, childEnd, 3);

            // Python's idiom: the parent closes its copy of the child's end right after starting the child.
            childEnd.Dispose();

            Assert.Equal("message 0", parentEnd.Receive(Generous));
            Assert.Equal("message 1", parentEnd.Receive(Generous));
            Assert.Equal("message 2", parentEnd.Receive(Generous));
            var error = Assert.Throws<EndOfStreamException>(() => parentEnd.Receive(Generous));
            Assert.Contains("closed", error.Message, StringComparison.Ordinal);
            Assert.Throws<EndOfStreamException>(() => parentEnd.TryReceive(out _));
            Assert.Throws<IOException>(() => parentEnd.Send("anyone?"));
            await p.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public void A_killed_process_closes_the_end_it_held()
    {
        var (parentEnd, childEnd) = ProcessPipe.Create<string>();
        using var signal = new ProcessQueue<string>();
        using (parentEnd)
        {
            WorkerProcess p = WorkerProcess.Start(P.HoldEndForever, childEnd, signal);
            childEnd.Dispose();
            Assert.Equal("holding", signal.Get(Generous));

            p.Kill();
            Assert.True(p.Join(Generous));

            Assert.Equal("hello", parentEnd.Receive(Generous));
            Assert.Throws<EndOfStreamException>(() => parentEnd.Receive(Generous));
        }
    }

    [Fact]
    public async Task Two_processes_using_one_end_at_once_get_a_clear_error_instead_of_stealing_messages()
    {
        var (parentEnd, childEnd) = ProcessPipe.Create<string>();
        using (parentEnd)
        using (childEnd)
        {
            // This process blocks receiving on the child's end; a child then tries to use the same end.
            Task<string> parentReceiving = Task.Run(() => childEnd.Receive(Generous));
            await WaitUntilAsync(() => parentReceiving.Status == TaskStatus.Running && IsWaiting(childEnd));

            WorkerProcess<string> intruder = WorkerProcess.Start(P.ReceiveOne, childEnd);
            var error = await Assert.ThrowsAsync<WorkerException>(() => intruder.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
            Assert.Equal(typeof(InvalidOperationException).FullName, error.RemoteTypeName);
            Assert.Contains("one process at a time", error.Message, StringComparison.Ordinal);

            parentEnd.Send("for the parent");
            Assert.Equal("for the parent", await parentReceiving.WaitAsync(Generous, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public void Receive_with_a_timeout_throws_TimeoutException_and_TryReceive_returns_false()
    {
        var (a, b) = ProcessPipe.Create<int>();
        using (a)
        using (b)
        {
            Assert.Throws<TimeoutException>(() => a.Receive(TimeSpan.FromMilliseconds(100)));
            Assert.False(a.TryReceive(out _));
            Assert.False(a.TryReceive(out _, TimeSpan.FromMilliseconds(20)));

            b.Send(5);
            Assert.True(a.TryReceive(out int five, TimeSpan.FromSeconds(5)));
            Assert.Equal(5, five);

            b.Dispose();
            Assert.Throws<ObjectDisposedException>(() => b.Send(1));
            Assert.Throws<EndOfStreamException>(() => a.Receive(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task A_waiting_Receive_ends_when_its_token_is_cancelled()
    {
        var (a, b) = ProcessPipe.Create<string>();
        using (a)
        using (b)
        {
            using var cancel = new CancellationTokenSource();
            Task<string> waiting = Task.Run(() => a.Receive(cancel.Token), TestContext.Current.CancellationToken);
            await WaitUntilAsync(() => IsWaiting(a));
            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Generous, TestContext.Current.CancellationToken));
            b.Send("after");
            Assert.Equal("after", a.Receive(TestContext.Current.CancellationToken));
        }
    }

    private static bool IsWaiting<T>(PipeEnd<T> end) => Brokering.Client.LocalBroker.Server.HasWaiter(end.Handle.Id);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Generous);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
