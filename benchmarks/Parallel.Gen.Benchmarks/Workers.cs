namespace ParallelGen.Benchmarks;

/// <summary>
/// The worker methods the benchmarks call. The benchmark executable is its own worker program: the pool
/// starts this same exe again, and the generated module initializer turns it into a worker before Main.
/// </summary>
public static class Workers
{
    /// <summary>The signature the generator hashes into <see cref="Square"/>'s worker id (see <see cref="DispatchBenchmarks"/>).</summary>
    internal const string SquareSignature = "global::ParallelGen.Benchmarks.Workers.Square(int)->long";

    [Worker]
    public static long Square(int x) => (long)x * x;

    [Worker]
    public static int Trivial(int x) => x + 1;

    /// <summary>Touches nothing: the cost measured is moving <paramref name="data"/> into the worker.</summary>
    [Worker]
    public static int Length(byte[] data) => data.Length;

    /// <summary>Reads every byte of the shared array (a vectorized scan) and returns how many equal <paramref name="fill"/>.</summary>
    [Worker]
    public static int ScanShared(SharedArray<byte> array, byte fill) =>
        array.AsSpan().IndexOfAnyExcept(fill) < 0 ? array.Length : -1;

    /// <summary><see cref="ScanShared"/>, then lets go of this worker's mapping (a worker otherwise keeps it until it exits).</summary>
    [Worker]
    public static int ScanSharedOnce(SharedArray<byte> array, byte fill)
    {
        using (array)
        {
            return ScanShared(array, fill);
        }
    }

    /// <summary>Puts <paramref name="count"/> small ints into a queue hosted by the caller; returns the count (pool workers return a value).</summary>
    [Worker]
    public static int PutMany(ProcessQueue<int> queue, int count)
    {
        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }

        return count;
    }

    /// <summary>StreamProfile's producer: <paramref name="warmup"/> zeros, then waits for the gate to open and puts 0..count-1.</summary>
    [Worker]
    public static void StreamPuts(ProcessQueue<int> queue, SharedValue<int> gate, int warmup, int count)
    {
        for (int i = 0; i < warmup; i++)
        {
            queue.Put(0);
        }

        gate.Value = 1;
        while (gate.Value != 2)
        {
            Thread.SpinWait(100);
        }

        for (int i = 0; i < count; i++)
        {
            queue.Put(i);
        }
    }

    /// <summary>StreamProfile's pipe producer.</summary>
    [Worker]
    public static void StreamSends(PipeEnd<int> end, SharedValue<int> gate, int warmup, int count)
    {
        using (end)
        {
            for (int i = 0; i < warmup; i++)
            {
                end.Send(0);
            }

            gate.Value = 1;
            while (gate.Value != 2)
            {
                Thread.SpinWait(100);
            }

            for (int i = 0; i < count; i++)
            {
                end.Send(i);
            }
        }
    }

    /// <summary>Sends <paramref name="count"/> small ints down a pipe whose other end the caller reads.</summary>
    [Worker]
    public static int SendMany(PipeEnd<int> end, int count)
    {
        for (int i = 0; i < count; i++)
        {
            end.Send(i);
        }

        return count;
    }

    /// <summary>Python's <c>with v.get_lock(): v.value += 1</c>, <paramref name="count"/> times.</summary>
    [Worker]
    public static int IncrementLocked(SharedValue<int> value, int count)
    {
        for (int i = 0; i < count; i++)
        {
            using (value.Lock())
            {
                value.Value++;
            }
        }

        return count;
    }
}
