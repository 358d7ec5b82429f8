namespace ParallelGen.Tests.Synchronization;

/// <summary>Worker methods the synchronization tests run in real child processes.</summary>
public static class S
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <summary>Waits for the start event, then makes <paramref name="times"/> read-then-write increments guarded only by <paramref name="gate"/>.</summary>
    [Worker]
    public static void IncrementUnderLock(ProcessLock gate, ProcessEvent start, SharedArray<int> counter, int times)
    {
        start.Wait(Generous);
        for (int i = 0; i < times; i++)
        {
            using (gate.Lock())
            {
                counter[0] = counter[0] + 1;
            }
        }
    }

    /// <summary>Takes the re-entrant lock three levels deep, increments, and says whether the parent's lock attempt was refused meanwhile.</summary>
    [Worker]
    public static int NestedRLock(ProcessRLock rlock, SharedArray<int> counter, int times)
    {
        int depth = 0;
        for (int i = 0; i < times; i++)
        {
            using (rlock.Lock())
            using (rlock.Lock())
            using (rlock.Lock())
            {
                depth = Math.Max(depth, rlock.RecursionCount);
                counter[0] = counter[0] + 1;
            }
        }

        return depth;
    }

    /// <summary>Enters the semaphore <paramref name="times"/> times and records how many were inside at once (slot 0: now, slot 1: the most seen).</summary>
    [Worker]
    public static void EnterSemaphore(ProcessSemaphore slots, ProcessEvent start, SharedArray<int> inside, int times)
    {
        start.Wait(Generous);
        Span<int> counters = inside.AsSpan();
        for (int i = 0; i < times; i++)
        {
            using (slots.Lock())
            {
                int now = Interlocked.Increment(ref counters[0]);
                int most;
                while ((most = Volatile.Read(ref counters[1])) < now && Interlocked.CompareExchange(ref counters[1], now, most) != most)
                {
                }

                Thread.SpinWait(2_000);
                Interlocked.Decrement(ref counters[0]);
            }
        }
    }

    /// <summary>Says "waiting" with the condition's lock held, waits to be notified, then says whether it was.</summary>
    [Worker]
    public static void WaitForNotify(ProcessCondition condition, ProcessQueue<string> events)
    {
        using (condition.Lock())
        {
            events.Put("waiting");
            events.Put(condition.Wait(Generous) ? "woke" : "timed out");
        }
    }

    /// <summary>Waits for the event; true when it was set within a minute.</summary>
    [Worker]
    public static bool WaitForEvent(ProcessEvent ready, ProcessQueue<string> events)
    {
        events.Put("waiting");
        return ready.Wait(Generous);
    }

    [Worker]
    public static void SetEvent(ProcessEvent ready) => ready.Set();

    /// <summary>Meets the others at the barrier <paramref name="phases"/> times; returns how many of those meetings succeeded.</summary>
    [Worker]
    public static int MeetAtBarrier(ProcessBarrier barrier, SharedArray<int> arrivals, int slot, int phases)
    {
        int met = 0;
        for (int phase = 0; phase < phases; phase++)
        {
            arrivals[slot] = phase + 1;
            if (barrier.SignalAndWait(Generous))
            {
                // Everyone has arrived in this phase, so no slot is behind it.
                met += arrivals.ToArray().All(a => a >= phase + 1) ? 1 : 0;
            }
        }

        return met;
    }

    /// <summary>Takes both locks, says so, and never lets go (the test kills it).</summary>
    [Worker]
    public static void HoldLocksForever(ProcessLock gate, ProcessRLock rlock, ProcessQueue<string> events)
    {
        gate.Acquire();
        rlock.Acquire();
        rlock.Acquire();
        events.Put("holding");
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Tries the lock for a moment: false while the parent holds it.</summary>
    [Worker]
    public static bool TryLockBriefly(ProcessRLock rlock)
    {
        if (!rlock.Acquire(TimeSpan.FromMilliseconds(50)))
        {
            return false;
        }

        rlock.Release();
        return true;
    }

    /// <summary>An unrelated process's view: opens the array by name only, fills it, and returns the length it found.</summary>
    [Worker]
    public static int FillNamedArray(string name)
    {
        using SharedArray<int> array = SharedArray<int>.Open(name);
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = (i + 1) * 10;
        }

        return array.Length;
    }

    /// <summary>Opens a named value and adds to it under its lock.</summary>
    [Worker]
    public static double AddToNamedValue(string name, double amount)
    {
        using SharedValue<double> value = SharedValue<double>.Open(name);
        using (value.Lock())
        {
            value.Value += amount;
            return value.Value;
        }
    }
}
