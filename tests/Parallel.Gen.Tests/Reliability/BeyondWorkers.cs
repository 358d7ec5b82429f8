using System.Runtime.CompilerServices;

namespace ParallelGen.Tests.Reliability;

/// <summary>Workers for MaxMemoryPerChild, CaptureStacksOnTimeout and the insights: they hoard memory, get stuck, or take uneven time.</summary>
public static class B
{
    private const int Hoard = 64 * 1024 * 1024;

    // A leak on purpose: the worker keeps what it allocates, as a leaky native library or an ever-growing cache would.
    private static readonly List<byte[]> s_kept = [];

    /// <summary>Keeps 64 MiB (every page touched, so it is resident), marks the item as run in <paramref name="markers"/>, returns it with the pid.</summary>
    [Worker]
    public static (int Item, int Pid) KeepMemory(string markers, int x)
    {
        byte[] block = GC.AllocateUninitializedArray<byte>(Hoard);
        for (int page = 0; page < block.Length; page += 4096)
        {
            block[page] = (byte)x;
        }

        // The parent never sees this static, and doesn't need to: the worker's resident set is the point (PG0008 suppressed).
#pragma warning disable PG0008
        s_kept.Add(block);
#pragma warning restore PG0008
        File.AppendAllText(Path.Combine(markers, $"{x}.{Guid.NewGuid():N}"), "");
        return (x, Environment.ProcessId);
    }

    /// <summary>Never returns: the stack capture must find this method's name.</summary>
    [Worker]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int StuckInTheNamedMethod(int x)
    {
        while (x >= 0)
        {
            Thread.Sleep(20);
        }

        return x;
    }

    /// <summary>Takes <paramref name="slowMilliseconds"/> for item <paramref name="slow"/> and a few milliseconds for the others.</summary>
    [Worker]
    public static int Uneven(int x, int slow, int slowMilliseconds)
    {
        Thread.Sleep(x == slow ? slowMilliseconds : 5);
        return x;
    }
}
