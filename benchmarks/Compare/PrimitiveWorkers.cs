namespace ParallelGen.Benchmarks.Compare;

/// <summary>
/// The child sides of the primitives rows (queue_throughput.py, value_array.py, manager_queue.py and the
/// shared-memory part of large_payload.py). A child that must not start before the clock does waits at a
/// <see cref="Gate"/>, as the Python children wait on an <c>Event</c>. Before it arrives, a child runs its
/// loop untimed for a while: a fresh .NET process runs new code unoptimized (tier 0) for its first
/// ~100 ms and more, and these rows measure steady-state rates, as Python's interpreter has no such phase.
/// The cold rate of the increments is measured too (<c>value_locked_incr_cold_opsps</c>).
/// </summary>
internal static class PrimitiveWorkers
{
    /// <summary>queue_throughput.py's producer: <paramref name="count"/> small ints, then returns.</summary>
    [Worker]
    public static void Produce(ProcessQueue<int> queue, SharedValue<int> gate, int warmup, int count)
    {
        for (int i = 0; i < warmup; i++)
        {
            queue.Put(0);
        }

        Gate.Arrive(gate);
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }
    }

    /// <summary>queue_throughput.py's pipe producer.</summary>
    [Worker]
    public static void Send(PipeEnd<int> end, SharedValue<int> gate, int warmup, int count)
    {
        using (end)
        {
            for (int i = 0; i < warmup; i++)
            {
                end.Send(0);
            }

            Gate.Arrive(gate);
            for (int i = 0; i < count; i++)
            {
                end.Send(i);
            }
        }
    }

    /// <summary>value_array.py's <c>incr_locked</c>: <c>with v.get_lock(): v.value += 1</c>, <paramref name="count"/> times.</summary>
    [Worker]
    public static void IncrementLocked(SharedValue<int> value, SharedValue<int> gate, int count, bool warm)
    {
        if (warm)
        {
            using var scratch = new SharedValue<int>(0);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 300)
            {
                Increment(scratch, 10_000);
            }
        }

        Gate.Arrive(gate);
        Increment(value, count);
    }

    private static void Increment(SharedValue<int> value, int count)
    {
        for (int i = 0; i < count; i++)
        {
            using (value.Lock())
            {
                value.Value++;
            }
        }
    }

    /// <summary>manager_queue.py's producer: <paramref name="count"/> ints into a Manager queue, then -1 as the end marker.</summary>
    [Worker]
    public static void ProduceToManager(ProcessQueue<int> queue, SharedValue<int> gate, int warmup, int count)
    {
        for (int i = 0; i < warmup; i++)
        {
            queue.Put(0);
        }

        Gate.Arrive(gate);
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }

        queue.Put(-1);
    }

    /// <summary>large_payload.py's <c>shm_copy</c>, reading instead of copying: every byte is read (a vectorized scan); returns how many equal <paramref name="fill"/>.</summary>
    [Worker]
    public static int Scan(SharedArray<byte> array, byte fill) =>
        array.AsSpan().IndexOfAnyExcept(fill) < 0 ? array.Length : -1;
}
