using ParallelGen;

namespace ParallelGen.ClusterTests;

/// <summary>Worker methods the cluster tests call; the test silos run them from this same assembly's generated table.</summary>
public static class ClusterWork
{
    [Worker]
    public static long Square(int x) => (long)x * x;

    [Worker]
    public static int Add(int a, int b) => a + b;

    [Worker]
    public static async Task<int> EchoAsync(int x)
    {
        await Task.Yield();
        return x;
    }

    /// <summary>The trace the worker process runs the item in (empty when none).</summary>
    [Worker]
    public static string TraceId(int _) => System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? "";

    [Worker]
    public static int FailOn13(int x) => x == 13 ? throw new InvalidOperationException($"item {x} is unlucky") : x;

    /// <summary>Who ran the item: the worker's pid and its parent's (the silo's, for a worker process).</summary>
    [Worker]
    public static (int Pid, int ParentPid, bool IsWorkerProcess) WhoRuns(int _) => (Environment.ProcessId, WorkerContext.ParentProcessId, WorkerContext.IsWorker);

    [Worker]
    public static int Sleep(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

    [Worker]
    public static int Length(string text) => text.Length;

    [Worker]
    public static string? ReadVariable(string name) => Environment.GetEnvironmentVariable(name);

    [Worker]
    public static int Crash(int exitCode)
    {
        Environment.Exit(exitCode);
        return exitCode;
    }
}
