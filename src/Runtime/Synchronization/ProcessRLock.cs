using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>
/// A re-entrant cross-process lock (Python's <c>multiprocessing.RLock</c>): the thread holding it may take
/// it again, and must release it as many times. Passable to a <see cref="WorkerAttribute"/> method as a handle.
/// <code>
/// using var rlock = new ProcessRLock();
/// using (rlock.Lock())
/// using (rlock.Lock())   // same thread: fine
/// {
/// }
/// </code>
/// </summary>
/// <remarks>
/// Same mechanism and abandonment rule as <see cref="ProcessLock"/> (futex in shared memory; a lock whose
/// holder died goes to the next acquirer with <see cref="AbandonedMutexException"/>, at depth 1). The
/// owner is a thread: only the thread that took it may <see cref="Release"/> it, so there is no
/// <c>AcquireAsync</c> (an <c>await</c> may resume on another thread).
/// </remarks>
[WireCodec(typeof(ProcessRLockCodec))]
public sealed unsafe class ProcessRLock : IDisposable, IProcessLockOwner, IConditionLock
{
    private readonly SyncMemory _memory;

    /// <summary>Creates an unlocked re-entrant lock in shared memory (Python's <c>multiprocessing.RLock()</c>).</summary>
    public ProcessRLock()
        : this(SyncMemory.Create(SharedMemoryKind.RLock, nameof(ProcessRLock)))
    {
    }

    internal ProcessRLock(SyncMemory memory)
    {
        _memory = memory;
    }

    /// <summary>Whether the calling thread holds the lock.</summary>
    public bool IsHeldByCurrentThread =>
        FutexLock.IsHeldByCurrentThread(_memory.LockWords);

    /// <summary>How many times the calling thread holds it (0 when another thread or nobody does).</summary>
    public int RecursionCount => IsHeldByCurrentThread ? *_memory.Word(FutexLock.DepthWord) : 0;

    internal SyncMemory Memory => _memory;

    SyncMemory IConditionLock.Memory => _memory;

    SharedMemoryKind IConditionLock.Kind => SharedMemoryKind.RLock;

    bool IConditionLock.IsHeldByCaller => IsHeldByCurrentThread;

    /// <summary>Waits as long as it takes, then holds the lock one level deeper (Python's <c>acquire()</c>).</summary>
    /// <exception cref="AbandonedMutexException">The lock was taken over from a process that died holding it: this thread holds it now (once).</exception>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public void Acquire() => Acquire(Timeout.InfiniteTimeSpan);

    /// <summary>Waits up to <paramref name="timeout"/> for the lock; immediate when this thread already holds it.</summary>
    /// <returns><see langword="true"/> if this thread now holds the lock; <see langword="false"/> if the time ran out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    /// <exception cref="AbandonedMutexException">The lock was taken over from a process that died holding it: this thread holds it now (once).</exception>
    public bool Acquire(TimeSpan timeout)
    {
        WaitTimeout.Validate(timeout);
        if (!FutexLock.TryEnter(_memory, timeout, out int abandonedBy))
        {
            return false;
        }

        return abandonedBy == 0 ? true : throw FutexLock.Abandoned(nameof(ProcessRLock), abandonedBy);
    }

    /// <summary>Releases one level; the last one frees the lock and wakes a waiter.</summary>
    /// <exception cref="SynchronizationLockException">The calling thread doesn't hold the lock.</exception>
    public void Release()
    {
        if (!FutexLock.TryExit(_memory.LockWords))
        {
            throw new SynchronizationLockException(
                $"Thread {Environment.CurrentManagedThreadId} of process {Environment.ProcessId} released a ProcessRLock it doesn't hold " +
                "(released more often than acquired, or from another thread than the one that took it).");
        }
    }

    /// <summary>Takes the lock until the returned scope is disposed: <c>using (l.Lock()) { ... }</c>.</summary>
    /// <exception cref="AbandonedMutexException">Taken over from a dead process: the lock is held but no scope was returned; call <see cref="Release"/> when done.</exception>
    public ProcessLockScope Lock()
    {
        Acquire();
        return new ProcessLockScope(this);
    }

    /// <summary>Unmaps the lock in this process; in the process that created it, also removes its name.</summary>
    public void Dispose() => _memory.Dispose();

    /// <inheritdoc/>
    public override string ToString() => _memory.IsDisposed ? "ProcessRLock (disposed)" : FutexLock.Owner(_memory.LockWords) is int owner and not 0 ? $"ProcessRLock (held by process {owner})" : "ProcessRLock (free)";

    void IProcessLockOwner.ExitLock() => Release();

    int IConditionLock.ReleaseAll()
    {
        int depth = *_memory.Word(FutexLock.DepthWord);
        *_memory.Word(FutexLock.DepthWord) = 1;
        Release();
        return depth;
    }

    void IConditionLock.Reacquire(int saved)
    {
        try
        {
            Acquire();
        }
        finally
        {
            // Also after AbandonedMutexException: the lock is held then, at the depth the waiter had.
            if (IsHeldByCurrentThread)
            {
                *_memory.Word(FutexLock.DepthWord) = saved;
            }
        }
    }
}
