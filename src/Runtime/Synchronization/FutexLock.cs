using ParallelGen.SharedMemory;

namespace ParallelGen.Synchronization;

/// <summary>
/// The lock both <see cref="ProcessLock"/> and <see cref="ProcessRLock"/> are built on: word 0 of their
/// shared memory holds the owning process id (0 = free), word 1 how many are waiting.
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

    private const int SpinCount = 20;

    /// <summary>
    /// Takes the lock for this process, or returns false when <paramref name="timeout"/> ends first; sets
    /// <paramref name="abandonedBy"/> to the dead process it was taken over from, else 0.
    /// </summary>
    public static bool TryAcquire(SyncMemory memory, WaitTimeout timeout, out int abandonedBy, CancellationToken cancellationToken = default)
    {
        abandonedBy = 0;
        int me = Environment.ProcessId;
        int* state = memory.Word(StateWord);
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

        int* waiters = memory.Word(WaitersWord);
        Interlocked.Increment(ref *waiters);
        try
        {
            long nextOwnerCheck = Environment.TickCount64 + WaitTimeout.CheckIntervalMilliseconds;
            while (true)
            {
                state = memory.Word(StateWord); // throws once disposed, rather than touching unmapped memory
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
                    if (!ProcessLiveness.IsAlive(owner) && Interlocked.CompareExchange(ref *state, me, owner) == owner)
                    {
                        abandonedBy = owner;
                        Interlocked.Increment(ref *memory.Word(AbandonedCountWord));
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
    public static void Release(SyncMemory memory)
    {
        int* state = memory.Word(StateWord);
        Interlocked.Exchange(ref *state, 0);
        if (Volatile.Read(ref *memory.Word(WaitersWord)) > 0)
        {
            Futex.Wake(state, 1);
        }
    }

    /// <summary>The uncontended case: one compare-and-swap, no clock.</summary>
    public static bool TryTakeFree(SyncMemory memory) => Interlocked.CompareExchange(ref *memory.Word(StateWord), Environment.ProcessId, 0) == 0;

    /// <summary>Which process holds the lock (0 = nobody).</summary>
    public static int Owner(SyncMemory memory) => Volatile.Read(ref *memory.Word(StateWord));

    /// <summary>Wakes every waiter so that they re-check (a cancelled async acquire).</summary>
    public static void WakeAll(SyncMemory memory) => Futex.Wake(memory.Word(StateWord), int.MaxValue);

    public static AbandonedMutexException Abandoned(string what, int deadProcess) => new(
        $"The {what} was held by process {deadProcess}, which exited or was killed without releasing it. This thread now holds it; " +
        "what it guarded may be half-updated. Check or repair that state, then release the lock as usual.",
        location: -1,
        handle: null);
}
