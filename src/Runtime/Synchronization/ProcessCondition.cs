using ParallelGen.Platform;
using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>
/// A condition variable shared by processes (Python's <c>multiprocessing.Condition</c>): with its lock held,
/// <see cref="Wait()"/> releases the lock, sleeps until another process calls <see cref="Notify"/> or
/// <see cref="NotifyAll"/>, then takes the lock back. Passable to a <see cref="WorkerAttribute"/> method as a
/// handle (its lock travels with it).
/// <code>
/// using var ready = new ProcessCondition();               // Condition() (with an RLock)
/// using (ready.Lock())
/// {
///     while (!queueHasWork) ready.Wait();                  // while not ...: cond.wait()
/// }
/// // elsewhere: using (ready.Lock()) { ...; ready.Notify(); }
/// </code>
/// </summary>
/// <remarks>
/// <para>
/// Its own shared memory holds a sequence word (the futex waiters sleep on), the number of sleeping waiters
/// and the number of wake-ups handed out. <see cref="Notify"/> moves up to n sleepers into "woken" and
/// wakes them; a waiter leaves when it takes one of those wake-ups, or when its timeout ends.
/// <see cref="Notify"/> never waits for the waiters it woke (Python's does), so it can't hang on a waiter that died.
/// </para>
/// <para>
/// As with every condition variable, wait in a loop over the condition you wait for (or use
/// <see cref="WaitFor(Func{bool}, TimeSpan)"/>): a waiter that starts waiting right after a notify may take
/// that wake-up before an older waiter does, and a waiter whose process died still counts as sleeping
/// for the notify that comes next.
/// </para>
/// </remarks>
[WireCodec(typeof(ProcessConditionCodec))]
public sealed unsafe class ProcessCondition : IDisposable, IProcessLockOwner
{
    private const int SequenceWord = 0;
    private const int SleepingWord = 1;
    private const int WokenWord = 2;

    private readonly SyncMemory _memory;
    private readonly IConditionLock _lock;
    private readonly bool _ownsLock;

    /// <summary>Creates a condition with a new <see cref="ProcessRLock"/> of its own (Python's <c>Condition()</c>).</summary>
    public ProcessCondition()
        : this(SyncMemory.Create(SharedMemoryKind.Condition, nameof(ProcessCondition)), new ProcessRLock(), ownsLock: true)
    {
    }

    /// <summary>Creates a condition over <paramref name="lock"/> (Python's <c>Condition(lock)</c>); disposing the condition leaves the lock alone.</summary>
    public ProcessCondition(ProcessLock @lock)
        : this(SyncMemory.Create(SharedMemoryKind.Condition, nameof(ProcessCondition)), @lock ?? throw new ArgumentNullException(nameof(@lock)), ownsLock: false)
    {
    }

    /// <summary>Creates a condition over a re-entrant <paramref name="lock"/>; disposing the condition leaves the lock alone.</summary>
    public ProcessCondition(ProcessRLock @lock)
        : this(SyncMemory.Create(SharedMemoryKind.Condition, nameof(ProcessCondition)), @lock ?? throw new ArgumentNullException(nameof(@lock)), ownsLock: false)
    {
    }

    internal ProcessCondition(SyncMemory memory, IConditionLock @lock, bool ownsLock)
    {
        _memory = memory;
        _lock = @lock;
        _ownsLock = ownsLock;
    }

    internal SyncMemory Memory => _memory;

    internal IConditionLock ConditionLock => _lock;

    /// <summary>Takes the condition's lock (Python's <c>cond.acquire()</c>).</summary>
    /// <exception cref="AbandonedMutexException">Taken over from a process that died holding it: the lock is held now.</exception>
    public void Acquire() => _lock.Acquire();

    /// <summary>Waits up to <paramref name="timeout"/> for the condition's lock.</summary>
    /// <returns><see langword="true"/> if the lock is now held; <see langword="false"/> if the time ran out.</returns>
    public bool Acquire(TimeSpan timeout) => _lock.Acquire(timeout);

    /// <summary>Releases the condition's lock (Python's <c>cond.release()</c>).</summary>
    public void Release() => _lock.Release();

    /// <summary>Takes the condition's lock until the returned scope is disposed (Python's <c>with cond:</c>).</summary>
    public ProcessLockScope Lock()
    {
        _lock.Acquire();
        return new ProcessLockScope(this);
    }

    /// <summary>Releases the lock, sleeps until notified, then takes the lock back (Python's <c>wait()</c>).</summary>
    /// <exception cref="SynchronizationLockException">The caller doesn't hold the condition's lock.</exception>
    /// <exception cref="AbandonedMutexException">Taking the lock back, it was taken over from a process that died holding it.</exception>
    public void Wait() => WaitCore(WaitTimeout.Infinite);

    /// <summary>As <see cref="Wait()"/>, but gives up after <paramref name="timeout"/>; the lock is held again either way.</summary>
    /// <returns><see langword="true"/> if notified; <see langword="false"/> if the time ran out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    /// <exception cref="SynchronizationLockException">The caller doesn't hold the condition's lock.</exception>
    public bool Wait(TimeSpan timeout) => WaitCore(WaitTimeout.From(timeout));

    /// <summary>Waits until <paramref name="predicate"/> is true, checking it with the lock held after every wake-up (Python's <c>wait_for()</c>).</summary>
    /// <returns>The predicate's last value: <see langword="false"/> only if the time ran out first.</returns>
    /// <exception cref="SynchronizationLockException">The caller doesn't hold the condition's lock.</exception>
    public bool WaitFor(Func<bool> predicate, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        WaitTimeout wait = WaitTimeout.From(timeout);
        bool result = predicate();
        while (!result && !wait.Expired)
        {
            WaitCore(wait);
            result = predicate();
        }

        return result;
    }

    /// <summary>Wakes up to <paramref name="count"/> waiters, in any process (Python's <c>notify(n)</c>). Call with the lock held.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> &lt; 1.</exception>
    /// <exception cref="SynchronizationLockException">The caller doesn't hold the condition's lock.</exception>
    public void Notify(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        EnsureHeld(nameof(Notify));
        int* sleeping = _memory.Word(SleepingWord);
        int moved;
        while (true)
        {
            int current = Volatile.Read(ref *sleeping);
            moved = Math.Min(current, count);
            if (moved == 0 || Interlocked.CompareExchange(ref *sleeping, current - moved, current) == current)
            {
                break;
            }
        }

        if (moved > 0)
        {
            // Wake-ups first, then the sequence: a waiter that sees the new sequence also sees its wake-up.
            Interlocked.Add(ref *_memory.Word(WokenWord), moved);
            int* sequence = _memory.Word(SequenceWord);
            Interlocked.Increment(ref *sequence);
            Futex.Wake(sequence, moved);
        }
    }

    /// <summary>Wakes every waiter (Python's <c>notify_all()</c>). Call with the lock held.</summary>
    /// <exception cref="SynchronizationLockException">The caller doesn't hold the condition's lock.</exception>
    public void NotifyAll() => Notify(int.MaxValue);

    /// <summary>Unmaps the condition in this process (and its lock, when the condition created it); in the creator, also removes the name.</summary>
    public void Dispose()
    {
        _memory.Dispose();
        if (_ownsLock)
        {
            _lock.Dispose();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => _memory.IsDisposed ? "ProcessCondition (disposed)" : $"ProcessCondition ({Volatile.Read(ref *_memory.Word(SleepingWord))} waiting)";

    void IProcessLockOwner.ExitLock() => _lock.Release();

    private bool WaitCore(WaitTimeout timeout)
    {
        EnsureHeld(nameof(Wait));
        Interlocked.Increment(ref *_memory.Word(SleepingWord));
        int saved = _lock.ReleaseAll();
        bool notified;
        try
        {
            notified = Sleep(timeout);
        }
        finally
        {
            _lock.Reacquire(saved);
        }

        return notified;
    }

    private bool Sleep(WaitTimeout timeout)
    {
        while (true)
        {
            int sequence = Volatile.Read(ref *_memory.Word(SequenceWord));
            if (TryDecrement(WokenWord))
            {
                return true;
            }

            if (timeout.Expired)
            {
                // Leave as a sleeper if still counted as one; if a notify already moved this waiter to
                // "woken", take that wake-up instead (it was meant for a waiter that is leaving anyway).
                if (TryDecrement(SleepingWord))
                {
                    return false;
                }

                if (TryDecrement(WokenWord))
                {
                    return true;
                }

                Thread.Yield();
                continue;
            }

            Futex.Wait(_memory.Word(SequenceWord), sequence, timeout.NextSleep(cap: 1000));
        }
    }

    private bool TryDecrement(int word)
    {
        int* counter = _memory.Word(word);
        int current;
        while ((current = Volatile.Read(ref *counter)) > 0)
        {
            if (Interlocked.CompareExchange(ref *counter, current - 1, current) == current)
            {
                return true;
            }
        }

        return false;
    }

    private void EnsureHeld(string member)
    {
        if (!_lock.IsHeldByCaller)
        {
            throw new SynchronizationLockException(
                $"ProcessCondition.{member} needs the condition's lock held by the caller: call it inside using (condition.Lock()) {{ ... }}.");
        }
    }
}
