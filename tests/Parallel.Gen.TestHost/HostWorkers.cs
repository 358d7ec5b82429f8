using System.Diagnostics;
using System.Globalization;

namespace ParallelGen.TestHost;

/// <summary>The workers the test host runs.</summary>
public static class HostWorkers
{
    /// <summary>Busy on the CPU forever: a task that never yields must not stop the worker noticing its parent is gone.</summary>
    [Worker]
    public static int Spin(int _)
    {
        Console.WriteLine($"busy {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        var clock = Stopwatch.StartNew();
        long spins = 0;
        while (clock.Elapsed < TimeSpan.FromHours(1))
        {
            spins++;
        }

        return (int)spins;
    }

    /// <summary>Blocked forever.</summary>
    [Worker]
    public static int Block(int _)
    {
        Console.WriteLine($"busy {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>Writes <paramref name="marker"/> to both of the worker's standard streams, which are the parent's.</summary>
    [Worker]
    public static int Write(string marker)
    {
        Console.WriteLine($"worker stdout: {marker}");
        Console.Error.WriteLine($"worker stderr: {marker}");
        return marker.Length;
    }

    /// <summary>Writes lines in three pieces each (three writes), yielding between them so other workers' writes fall in between.</summary>
    [Worker]
    public static int WriteInPieces(int x)
    {
        for (int i = 0; i < 50; i++)
        {
            Console.Out.Write($"item {x} line {i} ");
            Thread.Yield();
            Console.Out.Write("middle ");
            Thread.Yield();
            Console.Out.WriteLine($"end {x}");
        }

        return x;
    }
}
