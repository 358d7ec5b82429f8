using System.Diagnostics;
using ParallelGen.Execution;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Processes;

/// <summary>
/// The parent's side of a <see cref="WorkerProcess"/>: the pool's protocol, driven for exactly one
/// call. Admit the started process (it proves the secret and its pid), send one Run frame, read
/// the reply, then Shutdown (carrying the exit code the worker should leave with) and Goodbye.
/// </summary>
internal sealed class WorkerProcessChannel : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly IFrameTransport _channel;

    private WorkerProcessChannel(IFrameTransport transport)
    {
        _channel = transport;
    }

    /// <summary>Waits for <paramref name="process"/> to connect and prove the secret; <see langword="null"/> when it exits (or never connects) first.</summary>
    public static async Task<WorkerProcessChannel?> AcceptAsync(PrivateEndpoint endpoint, Process process, Task exited) =>
        await ChildHandshake.AcceptAsync(endpoint, process, exited, ConnectTimeout).ConfigureAwait(false) is { } channel
            ? new WorkerProcessChannel(TransportUpgrade.ToWorker(channel)) // the transport upgrade point, parent side
            : null;

    /// <summary>Sends the one call: request id 1, the worker's id, one item, its arguments.</summary>
    public async Task SendRunAsync(WorkerMethod worker, byte[] arguments)
    {
        byte[] prefix = new RunPrefix(RequestId: 1, worker.Id, ItemCount: 1).ToArray();
        await _channel.SendAsync(FrameType.Run, prefix, arguments, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The reply to the call, or <see langword="null"/> when the channel ended first (the process died).</summary>
    public async Task<ChunkReply?> ReceiveReplyAsync(int processId)
    {
        while (await _channel.ReceiveAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
        {
            if (frame.Type is FrameType.Result or FrameType.Fault && frame.Length >= ChunkStats.ReplyBodyStart && RequestId.TryRead(frame.Body, out long requestId) && requestId == 1)
            {
                // The chunk's stats between the request id and the body are for a pool's insights; one process, one call, has no use for them.
                return new ChunkReply(frame.DetachBuffer(), ChunkStats.ReplyBodyStart, frame.Length - ChunkStats.ReplyBodyStart, frame.Type == FrameType.Fault, processId, pooled: true);
            }

            FrameType type = frame.Type;
            frame.Dispose();
            if (type != FrameType.Goodbye)
            {
                throw new InvalidDataException($"Unexpected {type} frame from a worker process.");
            }
        }

        return null;
    }

    /// <summary>Asks the worker to exit with <paramref name="exitCode"/> and waits for its goodbye (or the channel's end).</summary>
    public async Task ShutdownAsync(byte exitCode)
    {
        await _channel.SendAsync(FrameType.Shutdown, Shutdown.WithExitCode(exitCode), default, CancellationToken.None).ConfigureAwait(false);
        while (await _channel.ReceiveAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
        {
            frame.Dispose();
        }
    }

    public void Dispose() => _channel.Dispose();
}
