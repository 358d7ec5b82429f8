using System.Diagnostics;
using ParallelGen.Execution;
using ParallelGen.Protocol;
using ParallelGen.Serialization;
using ParallelGen.Transport;

namespace ParallelGen.Processes;

/// <summary>
/// The executor behind a <see cref="WorkerProcess"/>: one started process, one chunk of one call. It admits the
/// process (it proves the secret and its pid), sends one Run frame, reads the reply, and on <see cref="DrainAsync"/>
/// sends Shutdown (exit code 1 when the call failed in the worker, else 0) and waits for Goodbye. The caller decodes
/// the reply as a pool's front end does; nothing here knows the call's types.
/// </summary>
internal sealed class WorkerProcessExecutor : IWorkerExecutor
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly IFrameTransport _channel;
    private readonly int _processId;
    private byte _exitCode;

    private WorkerProcessExecutor(IFrameTransport transport, int processId)
    {
        _channel = transport;
        _processId = processId;
    }

    /// <inheritdoc/>
    public int Concurrency => 1;

    /// <summary>
    /// Waits for <paramref name="process"/> to connect and prove the secret; <see langword="null"/> when it exits (or never
    /// connects) first. Takes ownership of <paramref name="rings"/>, the shared-memory rings it was handed at launch.
    /// </summary>
    public static async Task<WorkerProcessExecutor?> AcceptAsync(PrivateEndpoint endpoint, Process process, Task exited, RingRegion? rings) =>
        await ChildHandshake.AcceptWorkerAsync(endpoint, process, exited, ConnectTimeout, rings).ConfigureAwait(false) is { } transport
            ? new WorkerProcessExecutor(transport, process.Id)
            : null;

    /// <summary>
    /// Runs the one chunk (request id 1). Faults with <see cref="WorkerCrashedException"/> when the channel ended first:
    /// the process died. Cancellation is not supported: a <see cref="WorkerProcess"/> is stopped by Kill or Terminate.
    /// </summary>
    public async Task<ChunkReply> RunAsync(ChunkRequest request, CancellationToken cancellationToken)
    {
        byte[] prefix = new RunPrefix(RequestId: 1, request.Worker.Id, request.ItemCount).ToArray();
        await _channel.SendAsync(FrameType.Run, prefix, request.Arguments, CancellationToken.None).ConfigureAwait(false);
        while (await _channel.ReceiveAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
        {
            if (frame.Type is FrameType.Result or FrameType.Fault && frame.Length >= ChunkStats.ReplyBodyStart && RequestId.TryRead(frame.Body, out long requestId) && requestId == 1)
            {
                // The chunk's stats between the request id and the body are for a pool's insights; one process, one call, has no use for them.
                var reply = new ChunkReply(frame.DetachBuffer(), ChunkStats.ReplyBodyStart, frame.Length - ChunkStats.ReplyBodyStart, frame.Type == FrameType.Fault, _processId, pooled: true);
                _exitCode = FailedInWorker(reply) ? (byte)1 : (byte)0;
                return reply;
            }

            FrameType type = frame.Type;
            frame.Dispose();
            if (type != FrameType.Goodbye)
            {
                throw new InvalidDataException($"Unexpected {type} frame from a worker process.");
            }
        }

        throw new WorkerCrashedException($"Worker process {_processId} ended its channel before replying.", _processId, exitCode: null, workerIndex: -1);
    }

    /// <summary>Asks the worker to exit (with 1 when its call failed, as Python's <c>exitcode</c>) and waits for its goodbye or the channel's end.</summary>
    public async Task DrainAsync()
    {
        await _channel.SendAsync(FrameType.Shutdown, Shutdown.WithExitCode(_exitCode), default, CancellationToken.None).ConfigureAwait(false);
        while (await _channel.ReceiveAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
        {
            frame.Dispose();
        }
    }

    /// <summary>Closes the channel; the worker reads its end and exits.</summary>
    public void Terminate() => _channel.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Whether the worker reported the call failed: a Fault, or a Result whose failure list is not empty.</summary>
    private static bool FailedInWorker(ChunkReply reply)
    {
        if (reply.IsFault)
        {
            return true;
        }

        try
        {
            ChunkReplyBody.Split(reply.Body, "reply", out WireReader failures);
            return failures.ReadLength(8, "failure list") != 0;
        }
        catch (WireFormatException)
        {
            return true; // the caller's decoding reports what is wrong with it
        }
    }
}