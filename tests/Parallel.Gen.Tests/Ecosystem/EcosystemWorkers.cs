using System.Diagnostics;

namespace ParallelGen.Tests.Ecosystem;

/// <summary>Workers used only by the ecosystem tests, so metric and trace listeners can pick their calls out by worker name.</summary>
public static class E
{
    [Worker]
    public static int FailOnSeven(int x) => x % 10 == 7 ? throw new InvalidOperationException($"{x} ends in seven") : x;

    /// <summary>Starts the worker's own activity (no listener needed) and says which trace it joined and under which parent span.</summary>
    [Worker]
    public static (string TraceId, string ChunkSpanId) OwnActivity(int _)
    {
        using Activity own = new Activity("worker code").Start();
        return (own.TraceId.ToHexString(), Activity.Current?.Parent?.ParentSpanId.ToHexString() ?? "");
    }

    [Worker]
    public static int SleepThenReturn(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }
}
