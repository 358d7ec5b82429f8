using ParallelGen.Brokering.Client;
using ParallelGen.Protocol;
using ParallelGen.Serialization;
using ParallelGen.SharedMemory;

namespace ParallelGen;

/// <summary>
/// A proxy to a lock held by a <see cref="Manager"/> (Python's <c>manager.Lock()</c>): at most one process
/// holds it at a time. Pass it to <see cref="WorkerAttribute"/> methods; it travels as a handle.
/// <code>
/// ManagedLock gate = manager.Lock();
/// using (gate.Lock())
/// {
///     totals["sum"] = totals["sum"] + 1;   // two round trips, now safe from other processes
/// }
/// </code>
/// </summary>
/// <remarks>
/// <para>The lock lives in the manager's server process, and the holder is a process (its connection to the
/// manager), not a thread: any thread of the holding process may <see cref="Release"/> it, and acquiring it again
/// from the same process waits (it is not reentrant, like Python's <c>Lock</c>). A process that must wait is
/// parked in the manager and answered when the lock comes free: nobody polls.</para>
/// <para>When the holding process exits or is killed while holding the lock, the manager sees its connection
/// drop and hands the lock to the next acquirer, whose <see cref="Acquire()"/> throws
/// <see cref="AbandonedMutexException"/> (the .NET convention for a mutex whose owner died): that process then
/// holds the lock, and should check what the lock guards before it goes on and releases it.</para>
/// <para>For locks between processes on one machine without a manager, use <c>ProcessLock</c> (shared memory).</para>
/// </remarks>
[WireCodec(typeof(ManagedLockCodec))]
public sealed class ManagedLock : IProcessLockOwner
{
    internal ManagedLock(BrokerHandle handle)
    {
        Handle = handle;
    }

    internal BrokerHandle Handle { get; }

    /// <summary>Waits until this process holds the lock (Python's <c>acquire()</c>).</summary>
    /// <exception cref="AbandonedMutexException">The previous holder died holding it; this process holds it now.</exception>
    /// <exception cref="IOException">The manager is gone.</exception>
    public void Acquire() => Acquire(Timeout.InfiniteTimeSpan);

    /// <summary>Waits up to <paramref name="timeout"/> for the lock (Python's <c>acquire(timeout=...)</c>); <see cref="TimeSpan.Zero"/> only tries.</summary>
    /// <returns><see langword="true"/> if this process now holds the lock; <see langword="false"/> if the timeout passed first.</returns>
    /// <exception cref="AbandonedMutexException">The previous holder died holding it; this process holds it now.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative other than <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    /// <exception cref="IOException">The manager is gone.</exception>
    public bool Acquire(TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        bool wait = timeout != TimeSpan.Zero;
        BrokerResult result = Handle.Invoke(BrokerOp.LockAcquire, [wait ? (byte)1 : (byte)0], wait ? timeout : Timeout.InfiniteTimeSpan).ThrowIfError();
        if (!result.IsOk)
        {
            return false;
        }

        if (result.Payload is [1])
        {
            throw new AbandonedMutexException(
                $"{this} was abandoned: the process that held it exited or was killed without releasing it. " +
                "This process holds the lock now; check the state it guards, then Release it.");
        }

        return true;
    }

    /// <summary>Releases the lock (Python's <c>release()</c>).</summary>
    /// <exception cref="SynchronizationLockException">This process does not hold the lock.</exception>
    /// <exception cref="IOException">The manager is gone.</exception>
    public void Release()
    {
        if (!Handle.Invoke(BrokerOp.LockRelease).ReadBoolean())
        {
            throw new SynchronizationLockException($"{this} can't be released by process {Environment.ProcessId}: this process does not hold it.");
        }
    }

    /// <summary>Acquires the lock and returns a scope that releases it: <c>using (gate.Lock()) { ... }</c> (Python's <c>with lock:</c>).</summary>
    /// <exception cref="AbandonedMutexException">The previous holder died holding it; this process holds it now (no scope was made, so release it yourself).</exception>
    public ProcessLockScope Lock()
    {
        Acquire();
        return new ProcessLockScope(this);
    }

    void IProcessLockOwner.ExitLock() => Release();

    /// <inheritdoc/>
    public override string ToString() => $"ManagedLock #{Handle.Id} held by {Handle.HostDescription}";
}
