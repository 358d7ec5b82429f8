using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>
/// A lock that threads of any process take in turn (Python's <c>multiprocessing.Lock</c>). Pass it to a
/// <see cref="WorkerAttribute"/> method and every process uses the same lock; it travels as a handle.
/// <code>
/// using var printLock = new ProcessLock();
/// using (printLock.Lock()) Console.WriteLine("one process at a time");   // with lock: print(...)
/// if (printLock.Acquire(TimeSpan.FromSeconds(1))) { try { ... } finally { printLock.Release(); } }
/// </code>
/// </summary>
/// <remarks>
/// <para>
/// Built on a Linux futex in shared memory (<c>/dev/shm</c>): uncontended, taking and releasing it is one
/// atomic instruction each and no system call; a waiter spins briefly, then sleeps in the kernel until the
/// holder releases. On other platforms waiters poll every millisecond instead. .NET's named
/// <see cref="Mutex"/> and <see cref="Semaphore"/> don't work across processes on Linux, hence this.
/// </para>
/// <para>
/// Not re-entrant: a second <see cref="Acquire()"/> by the holder waits for itself (use <see cref="ProcessRLock"/>).
/// As in Python, any thread of any process may <see cref="Release"/> it, not only the one that took it.
/// </para>
/// <para>
/// If the process holding it exits or is killed, the next acquirer takes it over within about 100 ms and
/// gets <see cref="AbandonedMutexException"/> (the .NET convention): it then holds the lock, and the
/// exception says the state it guarded may be inconsistent. Repair what needs it, then <see cref="Release"/>.
/// The creator's <see cref="Dispose"/> removes the lock's name; processes that opened it keep working.
/// </para>
/// </remarks>
[WireCodec(typeof(ProcessLockCodec))]
public sealed unsafe class ProcessLock : IDisposable, IProcessLockOwner, IConditionLock
{
    private readonly SyncMemory _memory;

    /// <summary>Creates an unlocked lock in shared memory (Python's <c>multiprocessing.Lock()</c>).</summary>
    public ProcessLock()
        : this(SyncMemory.Create(SharedMemoryKind.Lock, nameof(ProcessLock)))
    {
    }

    internal ProcessLock(SyncMemory memory)
    {
        _memory = memory;
    }

    /// <summary>Whether some thread of some process holds the lock right now (a snapshot).</summary>
    public bool IsLocked => FutexLock.Owner(_memory.LockWords) != 0;

    internal SyncMemory Memory => _memory;

    SyncMemory IConditionLock.Memory => _memory;

    SharedMemoryKind IConditionLock.Kind => SharedMemoryKind.Lock;

    bool IConditionLock.IsHeldByCaller => FutexLock.Owner(_memory.LockWords) == Environment.ProcessId;

    /// <summary>Waits as long as it takes, then holds the lock (Python's <c>acquire()</c>).</summary>
    /// <exception cref="AbandonedMutexException">The lock was taken over from a process that died holding it: this thread holds it now.</exception>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public void Acquire() => Acquire(Timeout.InfiniteTimeSpan);

    /// <summary>Waits up to <paramref name="timeout"/> for the lock (Python's <c>acquire(timeout=...)</c>); <see cref="TimeSpan.Zero"/> only tries.</summary>
    /// <returns><see langword="true"/> if this thread now holds the lock; <see langword="false"/> if the time ran out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    /// <exception cref="AbandonedMutexException">The lock was taken over from a process that died holding it: this thread holds it now.</exception>
    public bool Acquire(TimeSpan timeout)
    {
        WaitTimeout.Validate(timeout);
        if (FutexLock.TryTakeFree(_memory.LockWords))
        {
            return true;
        }

        if (!FutexLock.TryAcquire(_memory, WaitTimeout.From(timeout), out int abandonedBy))
        {
            return false;
        }

        return abandonedBy == 0 ? true : throw FutexLock.Abandoned(nameof(ProcessLock), abandonedBy);
    }

    /// <summary>
    /// Waits for the lock without blocking the caller, e.g. to combine with other waits in
    /// <see cref="Task.WhenAny(Task[])"/>. The waiting happens on a thread of its own; since any thread may
    /// release this lock, the continuation may <see cref="Release"/> it wherever it runs.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the lock was taken.</exception>
    /// <exception cref="AbandonedMutexException">(On the task.) Taken over from a dead process: the lock is held.</exception>
    public Task AcquireAsync(CancellationToken cancellationToken = default) => AsyncWait.Run(
        token =>
        {
            FutexLock.TryAcquire(_memory, WaitTimeout.Infinite, out int abandonedBy, token);
            return abandonedBy == 0 ? true : throw FutexLock.Abandoned(nameof(ProcessLock), abandonedBy);
        },
        () => FutexLock.WakeAll(_memory.LockWords),
        cancellationToken);

    /// <summary>Releases the lock (Python's <c>release()</c>); wakes one waiter, in whichever process.</summary>
    /// <exception cref="SynchronizationLockException">The lock isn't held: released more often than acquired.</exception>
    public void Release()
    {
        if (FutexLock.Owner(_memory.LockWords) == 0)
        {
            throw new SynchronizationLockException("This ProcessLock was released but nobody holds it: Release() was called more often than Acquire().");
        }

        FutexLock.Release(_memory.LockWords);
    }

    /// <summary>Takes the lock until the returned scope is disposed: <c>using (l.Lock()) { ... }</c> (Python's <c>with lock:</c>).</summary>
    /// <exception cref="AbandonedMutexException">Taken over from a dead process: the lock is held but no scope was returned; call <see cref="Release"/> when done.</exception>
    public ProcessLockScope Lock()
    {
        Acquire();
        return new ProcessLockScope(this);
    }

    /// <summary>Unmaps the lock in this process; in the process that created it, also removes its name.</summary>
    public void Dispose() => _memory.Dispose();

    /// <inheritdoc/>
    public override string ToString() => _memory.IsDisposed ? "ProcessLock (disposed)" : FutexLock.Owner(_memory.LockWords) is int owner and not 0 ? $"ProcessLock (held by process {owner})" : "ProcessLock (free)";

    void IProcessLockOwner.ExitLock() => Release();

    int IConditionLock.ReleaseAll()
    {
        Release();
        return 1;
    }

    void IConditionLock.Reacquire(int saved) => Acquire();
}
