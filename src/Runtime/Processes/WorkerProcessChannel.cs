using System.Buffers.Binary;
using System.Diagnostics;
using ParallelGen.Execution;
using ParallelGen.Protocol;

namespace ParallelGen.Processes;

/// <summary>
/// The parent's side of a <see cref="WorkerProcess"/>: the pool's protocol, driven for exactly one
/// call. Admit the started process (it proves the secret and its pid), send one Run frame, read
/// the reply, then Shutdown (carrying the exit code the worker should leave with) and Goodbye.
/// </summary>
internal sealed class WorkerProcessChannel : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly FrameChannel _channel;

    private WorkerProcessChannel(FrameChannel channel)
    {
        _channel = channel;
    }

    /// <summary>Waits for <paramref name="process"/> to connect and prove the secret; <see langword="null"/> when it exits (or never connects) first.</summary>
    public static async Task<WorkerProcessChannel?> AcceptAsync(PrivateEndpoint endpoint, Process process, Task exited) =>
        await ChildHandshake.AcceptAsync(endpoint, process, exited, ConnectTimeout).ConfigureAwait(false) is { } channel ? new WorkerProcessChannel(channel) : null;

    /// <summary>Sends the one call: request id 1, the worker's id, one item, its arguments.</summary>
    public async Task SendRunAsync(WorkerMethod worker, byte[] arguments)
    {
        byte[] prefix = new byte[20];
        BinaryPrimitives.WriteInt64LittleEndian(prefix, 1);
        BinaryPrimitives.WriteUInt64LittleEndian(prefix.AsSpan(8), worker.Id);
        BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(16), 1);
        await _channel.SendAsync(FrameType.Run, prefix, arguments, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The reply to the call, or <see langword="null"/> when the channel ended first (the process died).</summary>
    public async Task<ChunkReply?> ReceiveReplyAsync(int processId)
    {
        while (await _channel.ReceiveAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
        {
            if (frame.Type is FrameType.Result or FrameType.Fault && frame.Length >= 8 + ChunkStats.Length && BinaryPrimitives.ReadInt64LittleEndian(frame.Body) == 1)
            {
                // The chunk's timing after the request id is for a pool's insights; one process, one call, has no use for it.
                const int bodyAt = 8 + ChunkStats.Length;
                return new ChunkReply(frame.DetachBuffer(), bodyAt, frame.Length - bodyAt, frame.Type == FrameType.Fault, processId, pooled: true);
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
        await _channel.SendAsync(FrameType.Shutdown, new[] { exitCode }, default, CancellationToken.None).ConfigureAwait(false);
        while (await _channel.ReceiveAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
        {
            frame.Dispose();
        }
    }

    public void Dispose() => _channel.Dispose();
}
