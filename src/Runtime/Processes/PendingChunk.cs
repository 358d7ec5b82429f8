using ParallelGen.Diagnostics;
using ParallelGen.Execution;

namespace ParallelGen.Processes;

/// <summary>
/// A chunk between <see cref="IWorkerExecutor.RunAsync"/> and its reply. Queued → sent → done; a chunk whose worker
/// crashed may go back to queued once (RetryCrashedItems). Its task completes only once no worker reads its
/// arguments any more, so the caller's buffer can be reused safely.
/// </summary>
internal sealed class PendingChunk
{
    private const int Queued = 0;
    private const int Sent = 1;
    private const int Done = 2;

    private readonly TaskCompletionSource<ChunkReply> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _runnerGate = new();
    private readonly IChunkObserver? _observer;
    private CancellationTokenRegistration _registration;
    private WorkerConversation? _runner;
    private bool _cancelRequested;
    private int _state;

    public PendingChunk(ChunkRequest request, IChunkObserver? observer = null)
    {
        Request = request;
        _observer = observer;
        QueuedChunks.Enqueued();
    }

    public ChunkRequest Request { get; }

    /// <summary>The streaming call this chunk belongs to, or <see langword="null"/> for a lone call (<c>Apply</c>): see <see cref="IChunkObserver.Call"/>.</summary>
    public object? Call => _observer?.Call;

    public Task<ChunkReply> Task => _completion.Task;

    /// <summary>The request id the current worker knows this chunk by.</summary>
    public long RequestId { get; private set; }

    /// <summary>When it was last sent (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long SentAt { get; set; }

    /// <summary>The crash that sent this chunk back to the queue for its second attempt, if any.</summary>
    public WorkerCrashedException? EarlierCrash { get; set; }

    /// <summary>The caller cancelled (or abandoned) the chunk.</summary>
    public bool CancellationRequested
    {
        get
        {
            lock (_runnerGate)
            {
                return _cancelRequested;
            }
        }
    }

    /// <summary>While queued, cancellation drops the chunk; while running, it asks the worker running it to stop.</summary>
    public void ObserveCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static (state, token) => ((PendingChunk)state!).OnCancelled(token), this);
        }
    }

    /// <summary>Claims the chunk for sending; <see langword="false"/> if it was cancelled or failed meanwhile.</summary>
    public bool TryMarkSent()
    {
        if (Interlocked.CompareExchange(ref _state, Sent, Queued) != Queued)
        {
            return false;
        }

        QueuedChunks.Dequeued();
        return true;
    }

    /// <summary>The chunk was sent to <paramref name="worker"/> as <paramref name="requestId"/>; a cancellation that came first is passed on now.</summary>
    public void MarkRunning(WorkerConversation worker, long requestId)
    {
        bool cancel;
        lock (_runnerGate)
        {
            _runner = worker;
            RequestId = requestId;
            cancel = _cancelRequested;
        }

        if (cancel)
        {
            worker.CancelRunning(this);
        }
    }

    /// <summary>Puts a claimed chunk back in the queued state (its worker died before or while running it).</summary>
    public void Unsend()
    {
        lock (_runnerGate)
        {
            _runner = null;
        }

        if (Interlocked.CompareExchange(ref _state, Queued, Sent) == Sent)
        {
            QueuedChunks.Enqueued();
        }
    }

    public void Complete(ChunkReply reply)
    {
        MarkDone();
        _registration.Dispose();
        if (!_completion.TrySetResult(reply))
        {
            reply.Dispose();
            return;
        }

        _observer?.Settled(_completion.Task);
    }

    public void Fail(Exception exception)
    {
        MarkDone();
        _registration.Dispose();
        if (_completion.TrySetException(exception))
        {
            _observer?.Settled(_completion.Task);
        }
    }

    /// <summary>Ends a chunk whose caller cancelled it (its worker was killed, or the pool stopped).</summary>
    public void Cancel()
    {
        MarkDone();
        _registration.Dispose();
        if (_completion.TrySetCanceled())
        {
            _observer?.Settled(_completion.Task);
        }
    }

    private void OnCancelled(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Done, Queued) == Queued)
        {
            QueuedChunks.Dequeued();
            if (_completion.TrySetCanceled(token))
            {
                _observer?.Settled(_completion.Task);
            }

            return;
        }

        WorkerConversation? runner;
        lock (_runnerGate)
        {
            _cancelRequested = true;
            runner = _runner;
        }

        runner?.CancelRunning(this);
    }

    /// <summary>Leaves the queued state for good; the queue-length gauge follows.</summary>
    private void MarkDone()
    {
        if (Interlocked.Exchange(ref _state, Done) == Queued)
        {
            QueuedChunks.Dequeued();
        }
    }
}
