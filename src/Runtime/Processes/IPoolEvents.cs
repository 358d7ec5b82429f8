namespace ParallelGen.Processes;

/// <summary>Why a worker process ended.</summary>
internal enum WorkerExitReason
{
    /// <summary>It never connected, or its initializer failed: a start failure.</summary>
    StartFailed,

    /// <summary>It was asked to leave (Close/Join) and said goodbye.</summary>
    Drained,

    /// <summary>It reached MaxTasksPerChild, said goodbye and exited; a fresh process takes its place.</summary>
    Recycled,

    /// <summary>It died on its own (exit, signal, stack overflow, FailFast ...) without saying goodbye.</summary>
    Crashed,

    /// <summary>Its resident set went over MaxMemoryPerChild; it said goodbye and exited; a fresh process takes its place.</summary>
    OverMemory,

    /// <summary>The pool killed it because an item overran TaskTimeout.</summary>
    TimedOut,

    /// <summary>The pool killed it because it ignored a cancellation past the grace period.</summary>
    IgnoredCancellation,

    /// <summary>The pool stopped it because it broke the protocol (a malformed frame).</summary>
    ProtocolError,

    /// <summary>The pool was terminated or disposed.</summary>
    Terminated,
}

/// <summary>
/// Where the local process executor reports what happens to its workers. A seam for logging (a later ILogger
/// integration implements it) and for tests that await events instead of sleeping. Implementations must be
/// quick and must not throw: they are called on the pool's own threads.
/// </summary>
internal interface IPoolEvents
{
    /// <summary>Slot <paramref name="slot"/> started process <paramref name="processId"/>.</summary>
    void WorkerStarted(int slot, int processId);

    /// <summary>The worker process in <paramref name="slot"/> is gone; <paramref name="detail"/> says what was seen (start failures, protocol errors).</summary>
    void WorkerExited(int slot, int processId, int exitCode, WorkerExitReason reason, string? detail);

    /// <summary>An item (its index in the chunk, when the worker could say) overran TaskTimeout; the worker is being killed.</summary>
    void TaskTimedOut(int slot, int processId, string worker, int? itemInChunk, TimeSpan elapsed);

    /// <summary>A chunk whose worker crashed goes back to the queue for a second attempt (RetryCrashedItems).</summary>
    void ChunkRetried(int slot, int processId, string worker, int itemCount);

    /// <summary>A caller cancelled a running chunk; the worker was asked to stop.</summary>
    void CancellationSent(int slot, int processId, string worker);

    /// <summary>
    /// The worker gave back <paramref name="count"/> chunks it held but had not started: taken for an idle worker
    /// (<paramref name="cancelled"/> false: an answer to a Reclaim, possibly of none) or dropped on a Cancel.
    /// </summary>
    void ChunksReturned(int slot, int processId, int count, bool cancelled);

    /// <summary>A connection to the pool's endpoint was dropped before it was admitted (no secret, bad frames, unknown slot ...).</summary>
    void ConnectionRejected(string reason);

    /// <summary>The worker reported a resident set over MaxMemoryPerChild: it finishes what it holds and is replaced.</summary>
    void WorkerOverMemory(int slot, int processId, long residentBytes, long limitBytes);

    /// <summary>CaptureStacksOnTimeout: the stacks of a worker about to be killed (<paramref name="reason"/>), or why they could not be taken.</summary>
    void StacksCaptured(int slot, int processId, WorkerExitReason reason, string? stacks, string? failure);
}

/// <summary>The default sink: nothing is recorded.</summary>
internal sealed class NoPoolEvents : IPoolEvents
{
    public static readonly NoPoolEvents Instance = new();

    public void WorkerStarted(int slot, int processId)
    {
    }

    public void WorkerExited(int slot, int processId, int exitCode, WorkerExitReason reason, string? detail)
    {
    }

    public void TaskTimedOut(int slot, int processId, string worker, int? itemInChunk, TimeSpan elapsed)
    {
    }

    public void ChunkRetried(int slot, int processId, string worker, int itemCount)
    {
    }

    public void CancellationSent(int slot, int processId, string worker)
    {
    }

    public void ChunksReturned(int slot, int processId, int count, bool cancelled)
    {
    }

    public void ConnectionRejected(string reason)
    {
    }

    public void WorkerOverMemory(int slot, int processId, long residentBytes, long limitBytes)
    {
    }

    public void StacksCaptured(int slot, int processId, WorkerExitReason reason, string? stacks, string? failure)
    {
    }
}
