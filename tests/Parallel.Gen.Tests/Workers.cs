using ParallelGen;

namespace ParallelGen.Tests;

public enum Color
{
    Red,
    Green,
    Blue,
}

/// <summary>Worker methods the end-to-end tests call in real worker processes.</summary>
public static class W
{
    [Worker]
    public static long Square(int x) => (long)x * x;

    [Worker]
    public static int Add(int a, int b) => a + b;

    [Worker]
    public static int Sum8(int a, int b, int c, int d, int e, int f, int g, int h) => a + b + c + d + e + f + g + h;

    [Worker]
    public static async Task<int> FetchAsync(int x)
    {
        await Task.Delay(1);
        return x;
    }

    [Worker]
    public static async ValueTask<string> EchoAsync(string text)
    {
        await Task.Yield();
        return text;
    }

    [Worker]
    public static int Pid(int _) => Environment.ProcessId;

    [Worker]
    public static (bool IsWorker, int ParentProcessId, int WorkerIndex, int Pid) Context() =>
        (WorkerContext.IsWorker, WorkerContext.ParentProcessId, WorkerContext.WorkerIndex, Environment.ProcessId);

    [Worker]
    public static int FailOn(int x) => x % 10 == 3 ? throw new InvalidOperationException($"item {x} is not allowed") : x;

    /// <summary>Fails every item from 65 on, so a chunk holds successes before its first failure.</summary>
    [Worker]
    public static int FailOnAbove(int x) => x >= 65 ? throw new InvalidOperationException($"item {x} is above 64") : x;

    /// <summary>A long in, a double out: both travel as raw bytes.</summary>
    [Worker]
    public static double Half(long x) => x / 2.0;

    /// <summary>Fails for item 3; every item leaves a marker file, so the parent can see which items ran.</summary>
    [Worker]
    public static int MarkThenFailOn3(string directory, int x)
    {
        File.WriteAllText(Path.Combine(directory, x.ToString(System.Globalization.CultureInfo.InvariantCulture)), "");
        return x == 3 ? throw new ArgumentException("three") : x;
    }

    [Worker]
    public static int ThrowNested(int x)
    {
        try
        {
            throw new FormatException("inner problem " + x);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException("outer problem", e);
        }
    }

    [Worker]
    public static int Sleep(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

    [Worker]
    public static int CreateNestedPool(int processes)
    {
        // Deliberately what PG0005 warns about: the test checks that the runtime refuses it too.
#pragma warning disable PG0005
        using var pool = new ProcessPool(processes);
#pragma warning restore PG0005
        return pool.Processes;
    }

    [Worker]
    public static int WriteToConsole(string text)
    {
        Console.WriteLine(text);
        Console.Error.WriteLine(text);
        return text.Length;
    }

    [Worker]
    public static string Text(string text) => text;

    [Worker]
    public static decimal DoubleDecimal(decimal value) => value * 2;

    [Worker]
    public static Color NextColor(Color color) => (Color)(((int)color + 1) % 3);

    [Worker]
    public static Guid SameGuid(Guid value) => value;

    [Worker]
    public static DateTime Date(DateTime value) => value.AddDays(1);

    [Worker]
    public static TimeSpan Twice(TimeSpan value) => value * 2;

    [Worker]
    public static int? NullableIncrement(int? value) => value + 1;

    [Worker]
    public static int[] Reverse(int[] values) => [.. values.Reverse()];

    [Worker]
    public static string[] Upper(string[] values) => [.. values.Select(v => v.ToUpperInvariant())];

    [Worker]
    public static List<double> Halve(List<double> values) => [.. values.Select(v => v / 2)];

    [Worker]
    public static byte[] Checksum(byte[] data) => System.Security.Cryptography.SHA256.HashData(data);

    [Worker]
    public static (int Count, string Joined) Describe(List<string> words) => (words.Count, string.Join('+', words));

    [Worker]
    public static string? MaybeNull(string? text) => text is null ? null : text + "!";
}
