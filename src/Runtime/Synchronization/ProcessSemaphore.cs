using ParallelGen.Platform;
using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>
/// A counting semaphore shared by processes (Python's <c>multiprocessing.BoundedSemaphore(value)</c>, or
/// <c>Semaphore</c> with a maximum): at most <c>maximumCount</c> units, each <see cref="Acquire()"/> takes one
/// and each <see cref="Release()"/> returns one. Passable to a <see cref="WorkerAttribute"/> method as a handle.
/// <code>
/// using var slots = new ProcessSemaphore(initialCount: 2, maximumCount: 2);   // at most two at once
/// using (slots.Lock()) { /* at most two processes in here */ }
/// </code>
/// </summary>
/// <remarks>
/// A futex on the count in shared memory: taking a free unit is one compare-and-swap; a waiter sleeps until
/// a release. A semaphore has no owner (as in Python and .NET), so any thread of any process may release,
/// and a unit taken by a process that then died is not given back: a <see cref="ProcessLock"/> is the
/// primitive that survives its holder's death.
/// </remarks>
[WireCodec(typeof(ProcessSemaphoreCodec))]
public sealed unsafe class ProcessSemaphore : IDisposable, IProcessLockOwner
{
    private const int CountWord = 0;
    private const int WaitersWord = 1;
    private const int MaximumWord = 2;

    private readonly SyncMemory _memory;

    /// <summary>Creates a semaphore holding <paramref name="initialCount"/> of at most <paramref name="maximumCount"/> units.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumCount"/> &lt; 1, or <paramref name="initialCount"/> outside 0..<paramref name="maximumCount"/>.</exception>
    public ProcessSemaphore(int initialCount, int maximumCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialCount, maximumCount);
        _memory = SyncMemory.Create(SharedMemoryKind.Semaphore, nameof(ProcessSemaphore));
        *_memory.Word(MaximumWord) = maximumCount;
        Volatile.Write(ref *_memory.Word(CountWord), initialCount);
    }

    internal ProcessSemaphore(SyncMemory memory)
    {
        _memory = memory;
    }

    /// <summary>How many units are free right now (a snapshot; Python's <c>get_value()</c>).</summary>
    public int CurrentCount => Volatile.Read(ref *_memory.Word(CountWord));

    /// <summary>The most units it holds: <see cref="Release()"/> beyond it throws.</summary>
    public int MaximumCount => *_memory.Word(MaximumWord);

    internal SyncMemory Memory => _memory;

    /// <summary>Waits as long as it takes for a unit and takes it.</summary>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public void Acquire() => _ = TryTake() || TryAcquire(WaitTimeout.Infinite, default);

    /// <summary>Waits up to <paramref name="timeout"/> for a unit; <see cref="TimeSpan.Zero"/> only tries.</summary>
    /// <returns><see langword="true"/> if a unit was taken; <see langword="false"/> if the time ran out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public bool Acquire(TimeSpan timeout)
    {
        WaitTimeout.Validate(timeout);
        return TryTake() || TryAcquire(WaitTimeout.From(timeout), default);
    }

    /// <summary>Waits for a unit without blocking the caller (the wait runs on a thread of its own), e.g. to combine with <see cref="Task.WhenAny(Task[])"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before a unit was taken.</exception>
    public Task AcquireAsync(CancellationToken cancellationToken = default) =>
        AsyncWait.Run(token => TryAcquire(WaitTimeout.Infinite, token), () => Futex.Wake(_memory.Word(CountWord), int.MaxValue), cancellationToken);

    /// <summary>Returns one unit and wakes a waiter (Python's <c>release()</c>).</summary>
    /// <returns>The count before this release.</returns>
    /// <exception cref="SemaphoreFullException">All <see cref="MaximumCount"/> units are already free: released more often than acquired.</exception>
    public int Release() => Release(1);

    /// <summary>Returns <paramref name="releaseCount"/> units at once and wakes as many waiters.</summary>
    /// <returns>The count before this release.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="releaseCount"/> &lt; 1.</exception>
    /// <exception cref="SemaphoreFullException">The count would exceed <see cref="MaximumCount"/> (nothing is released then).</exception>
    public int Release(int releaseCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(releaseCount, 1);
        int* count = _memory.Word(CountWord);
        int maximum = MaximumCount;
        while (true)
        {
            int current = Volatile.Read(ref *count);
            if (current > maximum - releaseCount)
            {
                throw new SemaphoreFullException(
                    $"Releasing {releaseCount} unit(s) of this ProcessSemaphore would make {current + (long)releaseCount} of at most {maximum}: it was released more often than acquired.");
            }

            if (Interlocked.CompareExchange(ref *count, current + releaseCount, current) == current)
            {
                if (Volatile.Read(ref *_memory.Word(WaitersWord)) > 0)
                {
                    Futex.Wake(count, releaseCount);
                }

                return current;
            }
        }
    }

    /// <summary>Takes a unit until the returned scope is disposed: <c>using (s.Lock()) { ... }</c> (Python's <c>with sem:</c>).</summary>
    public ProcessLockScope Lock()
    {
        Acquire();
        return new ProcessLockScope(this);
    }

    /// <summary>Unmaps the semaphore in this process; in the process that created it, also removes its name.</summary>
    public void Dispose() => _memory.Dispose();

    /// <inheritdoc/>
    public override string ToString() => _memory.IsDisposed ? "ProcessSemaphore (disposed)" : $"ProcessSemaphore ({CurrentCount} of {MaximumCount} free)";

    void IProcessLockOwner.ExitLock() => Release();

    private bool TryAcquire(WaitTimeout timeout, CancellationToken cancellationToken)
    {
        if (TryTake())
        {
            return true;
        }

        var spinner = default(SpinWait);
        for (int i = 0; i < 20; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (TryTake())
            {
                return true;
            }
        }

        int* waiters = _memory.Word(WaitersWord);
        Interlocked.Increment(ref *waiters);
        try
        {
            while (true)
            {
                if (TryTake())
                {
                    return true;
                }

                if (timeout.Expired)
                {
                    return false;
                }

                cancellationToken.ThrowIfCancellationRequested();
                Futex.Wait(_memory.Word(CountWord), 0, timeout.NextSleep(cap: 1000));
            }
        }
        finally
        {
            Interlocked.Decrement(ref *waiters);
        }
    }

    private bool TryTake()
    {
        int* count = _memory.Word(CountWord);
        int current;
        while ((current = Volatile.Read(ref *count)) > 0)
        {
            if (Interlocked.CompareExchange(ref *count, current - 1, current) == current)
            {
                return true;
            }
        }

        return false;
    }
}
