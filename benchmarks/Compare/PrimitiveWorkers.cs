namespace ParallelGen.Benchmarks.Compare;

/// <summary>
/// The child sides of the primitives rows (queue_throughput.py, value_array.py, manager_queue.py and the
/// shared-memory part of large_payload.py). A child that must not start before the clock does waits at a
/// <see cref="Gate"/>, as the Python children wait on an <c>Event</c>.
/// </summary>
internal static class PrimitiveWorkers
{
    /// <summary>queue_throughput.py's producer: <paramref name="count"/> small ints, then returns.</summary>
    [Worker]
    public static void Produce(ProcessQueue<int> queue, SharedValue<int> gate, int count)
    {
        Gate.Arrive(gate);
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }
    }

    /// <summary>queue_throughput.py's pipe producer.</summary>
    [Worker]
    public static void Send(PipeEnd<int> end, SharedValue<int> gate, int count)
    {
        using (end)
        {
            Gate.Arrive(gate);
            for (int i = 0; i < count; i++)
            {
                end.Send(i);
            }
        }
    }

    /// <summary>value_array.py's <c>incr_locked</c>: <c>with v.get_lock(): v.value += 1</c>, <paramref name="count"/> times.</summary>
    [Worker]
    public static void IncrementLocked(SharedValue<int> value, SharedValue<int> gate, int count)
    {
        Gate.Arrive(gate);
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
    public static void ProduceToManager(ProcessQueue<int> queue, SharedValue<int> gate, int count)
    {
        Gate.Arrive(gate);
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }

        queue.Put(-1);
    }

    /// <summary>large_payload.py's <c>shm_copy</c>, reading instead of copying: every byte of the slice is read (a vectorized scan).</summary>
    [Worker]
    public static int ScanSlice(SharedArray<byte> array, int offset, int length, byte fill) =>
        array.AsSpan().Slice(offset, length).IndexOfAnyExcept(fill) < 0 ? length : -1;
}
