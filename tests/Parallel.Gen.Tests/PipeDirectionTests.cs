using ParallelGen.Primitives;

namespace ParallelGen.Tests;

/// <summary>One-way pipes, <see cref="PipeEnd{T}.Poll(TimeSpan)"/>, the async ends, and waiting on several things at once.</summary>
public sealed class PipeDirectionTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_one_way_pipe_refuses_the_wrong_direction_here_and_in_the_child()
    {
        var (reader, writer) = ProcessPipe.Create<string>(duplex: false);
        using (reader)
        using (writer)
        {
            Assert.True(reader.CanReceive);
            Assert.False(reader.CanSend);
            Assert.True(writer.CanSend);
            Assert.False(writer.CanReceive);

            var send = Assert.Throws<InvalidOperationException>(() => reader.Send("x"));
            Assert.Contains("receive-only", send.Message, StringComparison.Ordinal);
            var receive = Assert.Throws<InvalidOperationException>(() => writer.Receive(TestContext.Current.CancellationToken));
            Assert.Contains("send-only", receive.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => writer.Poll());
            await Assert.ThrowsAsync<InvalidOperationException>(() => writer.ReceiveAsync(TestContext.Current.CancellationToken));
            await Assert.ThrowsAsync<InvalidOperationException>(() => reader.SendAsync("x", TestContext.Current.CancellationToken));

            // The direction travels with the end: the child's copy of the receive-only end can't send either.
            string childSaw = await WorkerProcess.Start(Q.SendOnReceiveEnd, reader).Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
            Assert.Contains("receive-only", childSaw, StringComparison.Ordinal);

            // And it works the right way round.
            WorkerProcess sender = WorkerProcess.Start(Q.SendOne, writer, "through");
            Assert.Equal("through", reader.Receive(Generous));
            Assert.True(sender.Join(Generous));
        }
    }

    [Fact]
    public void Poll_says_whether_a_message_waits_without_taking_it_and_sees_end_of_stream()
    {
        var (a, b) = ProcessPipe.Create<string>();
        using (a)
        {
            Assert.False(a.Poll());
            Assert.False(a.Poll(TimeSpan.FromMilliseconds(100)));

            WorkerProcess sender = WorkerProcess.Start(Q.SendOne, b, "hello");
            b.Dispose();
            Assert.True(a.Poll(Generous));
            Assert.True(a.Poll(), "Poll must not consume the message.");
            Assert.Equal("hello", a.Receive(Generous));
            Assert.True(sender.Join(Generous));

            // Every holder of the other end has closed it: the next Receive ends at once, so Poll says true.
            Assert.True(a.Poll(Generous));
            Assert.Throws<EndOfStreamException>(() => a.Receive(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task SendAsync_and_ReceiveAsync_talk_to_an_async_child_and_a_cancelled_receive_loses_nothing()
    {
        var (parent, child) = ProcessPipe.Create<string>();
        using (parent)
        using (child)
        {
            WorkerProcess<string> echo = WorkerProcess.Start(Q.EchoAsync, child);
            await parent.SendAsync("ping", TestContext.Current.CancellationToken);
            Assert.Equal("ping!", await parent.ReceiveAsync(TestContext.Current.CancellationToken).WaitAsync(Generous, TestContext.Current.CancellationToken));
            Assert.Equal("ping", await echo.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));

            using var cancel = new CancellationTokenSource();
            Task<string> waiting = parent.ReceiveAsync(cancel.Token);
            await QueueWaits.UntilAsync(() => QueueWaits.HasWaiter(parent));
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Generous, TestContext.Current.CancellationToken));

            child.Send("later");
            Assert.Equal("later", await parent.ReceiveAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Task_WhenAny_waits_on_a_pipe_a_queue_and_a_process_at_once()
    {
        // Python's multiprocessing.connection.wait([conn, queue._reader, process.sentinel]).
        var (reader, writer) = ProcessPipe.Create<string>(duplex: false);
        using var queue = new ProcessQueue<string>();
        using var stop = new CancellationTokenSource();
        using (reader)
        using (writer)
        {
            Task<string> fromPipe = reader.ReceiveAsync(stop.Token);
            Task<string> fromQueue = queue.GetAsync(stop.Token);

            WorkerProcess first = WorkerProcess.Start(Q.PutOne, queue, "queued");
            Assert.Same(fromQueue, await Task.WhenAny(fromPipe, fromQueue).WaitAsync(Generous, TestContext.Current.CancellationToken));
            Assert.Equal("queued", await fromQueue);
            Assert.True(first.Join(Generous));

            WorkerProcess second = WorkerProcess.Start(Q.SendOne, writer, "piped");
            Task exited = second.WaitAsync(TestContext.Current.CancellationToken);
            Task ready = await Task.WhenAny(fromPipe, queue.GetAsync(stop.Token), exited).WaitAsync(Generous, TestContext.Current.CancellationToken);
            Assert.True(ready == fromPipe || ready == exited);
            Assert.Equal("piped", await fromPipe.WaitAsync(Generous, TestContext.Current.CancellationToken));
            await exited.WaitAsync(Generous, TestContext.Current.CancellationToken);

            // The waits still pending are cancelled at the host, never left parked there.
            await stop.CancelAsync();
            await QueueWaits.UntilAsync(() => !QueueWaits.HasWaiter(queue));
        }
    }
}
