using System.Diagnostics;
using System.Net.Sockets;
using ParallelGen.Execution;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Processes;

/// <summary>
/// The pool's conversation with one connected worker process over an <see cref="IFrameTransport"/>, from its handshake
/// to its exit: sends chunks (see the Dispatching part), reads the replies on a thread of its own, takes back chunks the
/// worker returns unstarted, passes cancellations on, enforces the task timeout, and when the worker is gone fails (or
/// retries, or gives back) the chunks it held. It knows the process only to kill it; starting and replacing workers is
/// <see cref="WorkerSlot"/>'s business, and the rest of the pool is reached through <see cref="IWorkerDispatch"/>.
/// </summary>
/// <remarks>
/// Mutable state is guarded by <see cref="_gate"/>; frames are sent one at a time through <see cref="SendFrame"/>, and read
/// by one thread at a time, the holder of the read gate (see the Reading part), through <see cref="HandleFrame"/>.
/// </remarks>
internal sealed partial class WorkerConversation : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IFrameTransport _transport;
    private readonly Process _process;
    private readonly PoolSettings _settings;
    private readonly IPoolEvents _events;
    private readonly IWorkerDispatch _dispatch;
    private readonly SemaphoreSlim _sendGate = new(1, 1);

    /// <summary>Request id → chunk, for every chunk sent and not yet answered. A worker runs them in ascending order.</summary>
    private readonly Dictionary<long, PendingChunk> _inFlight = [];

    /// <summary>Cancelled when the conversation ends (or the pool stops): ends blocked sends, the deadline watch, pending grace periods.</summary>
    private readonly CancellationTokenSource _stop = new();
    private long _nextRequestId;
    private volatile bool _dead;

    /// <summary>Set when the pool decided to kill this worker (timeout, ignored cancellation); its exit is then not a crash.</summary>
    private WorkerExitReason? _killReason;

    public WorkerConversation(int slotIndex, IFrameTransport transport, Process process, PoolSettings settings, IPoolEvents events, IWorkerDispatch dispatch)
    {
        SlotIndex = slotIndex;
        _transport = transport;
        _process = process;
        ProcessId = process.Id;
        _settings = settings;
        _events = events;
        _dispatch = dispatch;
        _callersMayRead = settings.CallersRead && transport is IPeerWatch;
    }

    /// <summary>The pool slot this worker fills.</summary>
    public int SlotIndex { get; }

    /// <summary>Kept apart from the process, which is disposed when the conversation ends while late callbacks may still ask.</summary>
    public int ProcessId { get; }

    /// <summary>The worker is gone: nothing more is sent to it. Read without the gate by the dispatcher.</summary>
    public bool Dead => _dead;

    /// <summary>
    /// Sends the pool's initializer and waits for its reply (blocking: run it on a pool thread). Returns the reply frame,
    /// or <see langword="null"/> when the worker closed the transport first.
    /// </summary>
    public ReceivedFrame? ExchangeInitializer(WorkerInitializer initializer, out long requestId)
    {
        requestId = Interlocked.Increment(ref _nextRequestId);
        Span<byte> prefix = stackalloc byte[RunPrefix.Length];
        new RunPrefix(requestId, initializer.Worker.Id, 1).Write(prefix);
        SendFrame(FrameType.Initialize, prefix, initializer.Arguments.Span);
        return _transport.Receive();
    }

    /// <summary>
    /// Serves chunks until the worker's transport ends: returns whether the worker said goodbye (a clean exit), and the
    /// failure that ended the conversation otherwise (a broken transport or protocol). When it returns, the worker is out
    /// of the dispatcher and the deadline watch has stopped; call <see cref="End"/> once the process has exited.
    /// </summary>
    public async Task<(bool SaidGoodbye, Exception? Failure)> ConverseAsync()
    {
        using CancellationTokenRegistration stopping = _dispatch.Stopping.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _stop);

        // The reply thread may park while nothing is owed; the worker's death must still reach it (see the Reading part).
        using CancellationTokenRegistration peerGone = _callersMayRead && _transport is IPeerWatch watch
            ? watch.PeerGone.UnsafeRegister(static state => ((WorkerConversation)state!).OnPeerGone(), this)
            : default;
        Task watching = _settings.TaskTimeout is { } timeout ? WatchDeadlinesAsync(timeout) : Task.CompletedTask;
        Ready();
        bool saidGoodbye = false;
        Exception? failure = null;
        try
        {
            saidGoodbye = await ReceiveOnOwnThread().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
            failure = e;
        }

        // No new chunk goes to this worker; one sent meanwhile is in the in-flight table and handled with the others by End.
        _dispatch.Dispatcher.Remove(this);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await watching.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        return (saidGoodbye, failure);
    }

    /// <summary>
    /// The worker process exited with <paramref name="exitCode"/>: reports why, and settles every chunk it held (the one it
    /// may have been running fails or is retried; the ones queued behind it go round again).
    /// </summary>
    public void End(int exitCode, bool saidGoodbye, Exception? failure)
    {
        List<PendingChunk> orphans;
        List<PendingChunk> unstarted = [];
        WorkerExitReason reason;
        bool terminated = _dispatch.Stopping.IsCancellationRequested;
        lock (_gate)
        {
            _dead = true;

            // A worker runs what it holds in the order it was sent (request ids ascend): only the oldest can have started,
            // and none has when the parent already failed the running one (a timeout). The rest never ran; they go round again.
            orphans = [.. _inFlight.OrderBy(pair => pair.Key).Select(pair => pair.Value)];
            _inFlight.Clear();
            int started = _killReason == WorkerExitReason.TimedOut ? 0 : Math.Min(1, orphans.Count);
            unstarted.AddRange(orphans.Skip(started));
            orphans.RemoveRange(started, orphans.Count - started);
            reason = _killReason
                ?? (terminated ? WorkerExitReason.Terminated
                : failure is InvalidDataException ? WorkerExitReason.ProtocolError
                : saidGoodbye ? (_recycling ? (_overMemory ? WorkerExitReason.OverMemory : WorkerExitReason.Recycled) : WorkerExitReason.Drained)
                : WorkerExitReason.Crashed);
        }

        _events.WorkerExited(SlotIndex, ProcessId, exitCode, reason, failure?.Message);
        foreach (PendingChunk chunk in unstarted)
        {
            if (_dispatch.Stopping.IsCancellationRequested)
            {
                chunk.Fail(new OperationCanceledException("The pool was terminated before this chunk ran."));
            }
            else
            {
                GiveBack(chunk);
            }
        }

        foreach (PendingChunk chunk in orphans)
        {
            if (_dispatch.Stopping.IsCancellationRequested)
            {
                chunk.Fail(new OperationCanceledException("The pool was terminated while this chunk was running."));
            }
            else if (chunk.CancellationRequested)
            {
                // Its caller has gone already; completing it only releases the argument buffer.
                chunk.Cancel();
            }
            else
            {
                FailOrRetry(chunk, exitCode, reason, failure);
            }
        }
    }

    /// <summary>A caller cancelled <paramref name="chunk"/> while this worker holds it: pass it on, and kill the worker if it ignores it.</summary>
    public void CancelRunning(PendingChunk chunk) => _ = Task.Run(() => CancelRunningAsync(chunk));

    /// <summary>Closes the transport. The stop source and send gate stay usable: late cancellations may still touch them.</summary>
    public void Dispose() => _transport.Dispose();

    private void FailOrRetry(PendingChunk chunk, int exitCode, WorkerExitReason reason, Exception? failure)
    {
        string how = reason switch
        {
            WorkerExitReason.ProtocolError => $"broke the protocol ({failure!.Message}) and was stopped",
            WorkerExitReason.TimedOut => "was killed because another of its tasks overran TaskTimeout",
            WorkerExitReason.IgnoredCancellation => "was killed because it ignored a cancellation",
            _ => $"died with {WorkerCrashedException.DescribeExit(exitCode)}",
        };
        var crash = new WorkerCrashedException(ProcessId, exitCode, SlotIndex, chunk.Request.Worker.Name, chunk.Request.ItemCount, how, chunk.EarlierCrash);
        if (_settings.RetryCrashedItems && chunk.EarlierCrash is null && reason == WorkerExitReason.Crashed)
        {
            chunk.EarlierCrash = crash;
            chunk.Unsend();
            _events.ChunkRetried(SlotIndex, ProcessId, chunk.Request.Worker.Name, chunk.Request.ItemCount);
            _dispatch.Requeue(chunk);
            return;
        }

        chunk.Fail(crash);
    }

    /// <summary>
    /// Frames from callers, the reply reader and cancellations share the transport: one writer at a time. Blocking sends only:
    /// a socket stays a blocking one, so the reply reader's thread is woken by the kernel directly (see FrameChannel.Send).
    /// </summary>
    private void SendFrame(FrameType type, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> payload)
    {
        if (type == FrameType.Shutdown)
        {
            lock (_gate)
            {
                _leaving = true;
            }
        }

        _sendGate.Wait(_stop.Token);
        try
        {
            _transport.Send(type, prefix, payload);
        }
        finally
        {
            _sendGate.Release();
        }

        // Whatever this frame asks, its answer must be read: by the caller that holds the read gate, or the reply thread.
        EnsureReader();
    }
}
