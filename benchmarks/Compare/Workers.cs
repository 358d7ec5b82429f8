namespace ParallelGen.Benchmarks.Compare;

/// <summary>The same tiny functions the Python scripts map.</summary>
internal static class Workers
{
    [Worker]
    public static long Square(int x) => (long)x * x;

    [Worker]
    public static int Trivial(int x) => x + 1;

    /// <summary>cpu_bound_speedup.py's burn: sum of i*i below n.</summary>
    [Worker]
    public static long Burn(int n)
    {
        long total = 0;
        for (long i = 0; i < n; i++)
        {
            total += i * i;
        }

        return total;
    }

    [Worker]
    public static int Length(byte[] data) => data.Length;
}
