using ParallelGen.Platform;

namespace ParallelGen.SharedMemory;

/// <summary>
/// The one cross-process lock algorithm, on five 32-bit words of shared memory: word 0 holds the owning
/// process id (0 = free; minus it while that process takes the lock over from a dead one), word 1 how many are waiting, word 2 the owning thread and word 3 the depth (for
/// the re-entrant form), word 4 how many times it was taken over from a dead holder.
/// <see cref="ProcessLock"/> uses the plain form; <see cref="ProcessRLock"/> and the lock inside
/// <c>SharedValue</c>/<c>SharedArray</c> (in <see cref="SharedMemoryBlock"/>'s header) the re-entrant one.
/// </summary>
/// <remarks>
/// Taking it is one compare-and-swap when free. When not, the caller spins briefly (the holder is often
/// about to release), then registers as a waiter and sleeps on a futex on word 0; <see cref="Release"/>
/// wakes one waiter only when someone waits, so an uncontended release is one atomic exchange. A waiter
/// wakes at least every 100 ms to check the owner's process still exists (<c>/proc/&lt;pid&gt;</c>); if it
/// doesn't, the waiter swaps itself in and reports the lock abandoned, so a process killed while holding
/// the lock never blocks the others for more than about 100 ms.
/// </remarks>
internal static unsafe class FutexLock
{
    public const int StateWord = 0;
    public const int WaitersWord = 1;
    public const int OwnerThreadWord = 2;
    public const int DepthWord = 3;
    public const int AbandonedCountWord = 4;

    /// <summary>How many 32-bit words the lock occupies.</summary>
    public const int WordCount = 5;

    private const int SpinCount = 20;

    /// <summary>
    /// Takes the lock for this process, or returns false when <paramref name="timeout"/> ends first; sets
    /// <paramref name="abandonedBy"/> to the dead process it was taken over from, else 0.
    /// </summary>
    public static bool TryAcquire(ILockWords memory, WaitTimeout timeout, out int abandonedBy, CancellationToken cancellationToken = default)
    {
        abandonedBy = 0;
        int me = Environment.ProcessId;
        int* state = memory.LockWords + StateWord;
        if (Interlocked.CompareExchange(ref *state, me, 0) == 0)
        {
            return true;
        }

        var spinner = default(SpinWait);
        for (int i = 0; i < SpinCount; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (Volatile.Read(ref *state) == 0 && Interlocked.CompareExchange(ref *state, me, 0) == 0)
            {
                return true;
            }
        }

        int* waiters = memory.LockWords + WaitersWord;
        Interlocked.Increment(ref *waiters);
        try
        {
            long nextOwnerCheck = Environment.TickCount64 + WaitTimeout.CheckIntervalMilliseconds;
            while (true)
            {
                state = memory.LockWords + StateWord; // throws once disposed, rather than touching unmapped memory
                int owner = Volatile.Read(ref *state);
                if (owner == 0)
                {
                    if (Interlocked.CompareExchange(ref *state, me, 0) == 0)
                    {
                        return true;
                    }

                    continue;
                }

                bool expired = timeout.Expired;
                long now = Environment.TickCount64;
                if (now >= nextOwnerCheck || expired)
                {
                    nextOwnerCheck = now + WaitTimeout.CheckIntervalMilliseconds;
                    // Taken over in two steps: while the word holds -me, no thread of this process mistakes the dead
                    // holder's thread id (still in OwnerThreadWord) for its own, and other waiters see a live owner.
                    if (!ProcessLiveness.IsAlive(Math.Abs(owner)) && Interlocked.CompareExchange(ref *state, -me, owner) == owner)
                    {
                        int* words = memory.LockWords;
                        Volatile.Write(ref words[OwnerThreadWord], 0);
                        Volatile.Write(ref words[StateWord], me);
                        abandonedBy = Math.Abs(owner);
                        Interlocked.Increment(ref words[AbandonedCountWord]);
                        return true;
                    }
                }

                if (expired)
                {
                    return false;
                }

                cancellationToken.ThrowIfCancellationRequested();
                Futex.Wait(state, owner, timeout.NextSleep());
            }
        }
        finally
        {
            Interlocked.Decrement(ref *waiters);
        }
    }

    /// <summary>Frees the lock (a full fence: the next holder sees every write made under it) and wakes one waiter if any.</summary>
    public static void Release(int* words)
    {
        Interlocked.Exchange(ref words[StateWord], 0);
        if (Volatile.Read(ref words[WaitersWord]) > 0)
        {
            Futex.Wake(words + StateWord, 1);
        }
    }

    /// <summary>The uncontended case: one compare-and-swap, no clock.</summary>
    public static bool TryTakeFree(int* words) => Interlocked.CompareExchange(ref words[StateWord], Environment.ProcessId, 0) == 0;

    /// <summary>Which process holds the lock (0 = nobody); negative only for the moment a process takes it over from a dead one.</summary>
    public static int Owner(int* words) => Math.Abs(Volatile.Read(ref words[StateWord]));

    /// <summary>How many times a waiter took the lock over from a process that died holding it.</summary>
    public static int AbandonedCount(int* words) => Volatile.Read(ref words[AbandonedCountWord]);

    /// <summary>Wakes every waiter so that they re-check (a cancelled async acquire).</summary>
    public static void WakeAll(int* words) => Futex.Wake(words + StateWord, int.MaxValue);

    /// <summary>Whether the calling thread holds the re-entrant form of the lock.</summary>
    public static bool IsHeldByCurrentThread(int* words) =>
        Volatile.Read(ref words[StateWord]) == Environment.ProcessId && Volatile.Read(ref words[OwnerThreadWord]) == Environment.CurrentManagedThreadId;

    /// <summary>The depth the calling thread holds the re-entrant lock at (only meaningful while it holds it).</summary>
    public static ref int Depth(int* words) => ref words[DepthWord];

    /// <summary>
    /// The re-entrant form: one level deeper when the calling thread holds the lock already, else takes it
    /// (waiting up to <paramref name="timeout"/>) at depth 1 for this thread. Sets <paramref name="abandonedBy"/>
    /// as <see cref="TryAcquire"/> does. The clock starts only when the lock is busy.
    /// </summary>
    public static bool TryEnter(ILockWords memory, TimeSpan timeout, out int abandonedBy)
    {
        abandonedBy = 0;
        int* words = memory.LockWords;
        if (IsHeldByCurrentThread(words))
        {
            words[DepthWord]++;
            return true;
        }

        if (!TryTakeFree(words) && !TryAcquire(memory, WaitTimeout.From(timeout), out abandonedBy))
        {
            return false;
        }

        words[DepthWord] = 1;
        Volatile.Write(ref words[OwnerThreadWord], Environment.CurrentManagedThreadId);
        return true;
    }

    /// <summary>Leaves one level of the re-entrant form; the last frees the lock. False when the calling thread doesn't hold it.</summary>
    public static bool TryExit(int* words)
    {
        if (!IsHeldByCurrentThread(words))
        {
            return false;
        }

        if (--words[DepthWord] == 0)
        {
            Volatile.Write(ref words[OwnerThreadWord], 0);
            Release(words);
        }

        return true;
    }

    public static AbandonedMutexException Abandoned(string what, int deadProcess) => new(
        $"The {what} was held by process {deadProcess}, which exited or was killed without releasing it. This thread now holds it; " +
        "what it guarded may be half-updated. Check or repair that state, then release the lock as usual.",
        location: -1,
        handle: null);
}