using System.Net.Sockets;
using ParallelGen.Processes;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Tests.Reliability;

/// <summary>Peers that don't follow the protocol lose their connection; the pool and its other workers carry on.</summary>
public sealed class HostilePeerTests
{
    [Fact]
    public async Task A_well_formed_hello_with_the_wrong_secret_is_rejected_and_reported()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1 }, events);
        int worker = pool.Apply(W.Pid, 0);

        using var writer = new WireWriter();
        writer.Advance(ProtocolConstants.HeaderLength);
        new Hello(new byte[ProtocolConstants.SecretLength], worker, 0, "impostor").Write(writer);
        FrameHeader.Write(writer.WrittenBuffer, FrameType.Hello, writer.Position - ProtocolConstants.HeaderLength);
        using var stranger = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        stranger.Connect(new UnixDomainSocketEndPoint(Path.Combine(pool.EndpointDirectory, "s")));
        stranger.Send(writer.WrittenSpan);

        PoolEvent rejected = await events.WaitForAsync(e => e.Kind == "rejected");
        Assert.Contains($"claiming to be process {worker} did not prove the pool's secret", rejected.Detail, StringComparison.Ordinal);
        Assert.Equal(0, stranger.Receive(new byte[1]));
        Assert.Equal(worker, pool.Apply(W.Pid, 0));
    }

    [Fact]
    public async Task A_worker_that_sends_a_malformed_frame_loses_only_its_connection()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2 }, events);

        var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.ApplyAsync(R.CorruptChannel, 0, TestContext.Current.CancellationToken));

        // Over the socket the bytes are read as a frame; over shared memory, bytes on the socket at all break the protocol.
        Assert.Contains("broke the protocol (", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("Unknown frame type 238", StringComparison.Ordinal) || error.Message.Contains("(01000000EE)", StringComparison.Ordinal), error.Message);
        PoolEvent exit = await events.WaitForExitAsync(error.WorkerProcessId);
        Assert.Equal(WorkerExitReason.ProtocolError, exit.Reason);
        Assert.Equal(Enumerable.Range(0, 50).Select(x => (long)x * x), pool.Map(W.Square, Enumerable.Range(0, 50)));
    }
}
