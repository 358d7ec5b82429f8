using Microsoft.Extensions.Logging;
using ParallelGen.Tests.Reliability;

namespace ParallelGen.Tests.Ecosystem;

/// <summary>ProcessPoolOptions.Logger: worker lifecycle events as structured log entries at sensible levels.</summary>
public sealed class LoggingTests : IDisposable
{
    private readonly string _markers = Directory.CreateTempSubdirectory("pgen-log-").FullName;

    public void Dispose() => Directory.Delete(_markers, recursive: true);

    [Fact]
    public async Task Started_and_stopped_workers_are_logged_with_pid_and_index()
    {
        var logger = new TestLogger();
        int[] pids;
        using (var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, Logger = logger }))
        {
            pids = [.. pool.Map(W.Pid, Enumerable.Range(0, 8), chunkSize: 1).Distinct()];
            await pool.DisposeAsync();
        }

        LogEntry[] started = [.. logger.Entries.Where(e => e.EventName == "WorkerStarted")];
        Assert.Equal(2, started.Length);
        Assert.All(started, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.Equal([0, 1], started.Select(e => (int)e.Fields["WorkerIndex"]!).Order());
        Assert.All(pids, pid => Assert.Contains(started, e => (int)e.Fields["WorkerPid"]! == pid));
        Assert.Contains($"started as process {pids[0]}", string.Join("\n", started.Select(e => e.Message)), StringComparison.Ordinal);
        Assert.Equal(2, logger.Entries.Count(e => e.EventName == "WorkerExited"));
    }

    [Fact]
    public async Task A_crash_is_a_warning_with_the_exit_code_and_its_replacement_is_logged()
    {
        var logger = new TestLogger();
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, Logger = logger }, events);
        var items = Enumerable.Range(0, 3).Select(i => (_markers, i, 1, CrashKind.Exit)).ToArray();

        var error = Assert.Throws<WorkerCrashedException>(() => pool.StarMap(R.CrashOn, items, chunkSize: 1));

        LogEntry crashed = await logger.WaitForAsync(e => e.EventName == "WorkerCrashed");
        Assert.Equal(LogLevel.Warning, crashed.Level);
        Assert.Equal(error.WorkerProcessId, crashed.Fields["WorkerPid"]);
        Assert.Equal(42, crashed.Fields["ExitCode"]);
        Assert.Equal(0, crashed.Fields["WorkerIndex"]);
        // One slot: any other process started in it is the crashed worker's replacement.
        LogEntry replacement = await logger.WaitForAsync(e => e.EventName == "WorkerStarted" && (int)e.Fields["WorkerPid"]! != error.WorkerProcessId);
        Assert.Equal(0, replacement.Fields["WorkerIndex"]);
    }

    [Fact]
    public async Task Recycling_is_information_not_a_warning()
    {
        var logger = new TestLogger();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 1, Logger = logger });

        pool.Map(W.Pid, Enumerable.Range(0, 3), chunkSize: 1);

        LogEntry recycled = await logger.WaitForAsync(e => e.EventName == "WorkerRecycled");
        Assert.Equal(LogLevel.Information, recycled.Level);
        Assert.Equal(0, recycled.Fields["ExitCode"]);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public void Without_a_logger_the_pool_is_silent_and_works()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1 });

        Assert.Equal([0L, 1L, 4L], pool.Map(W.Square, [0, 1, 2]));
    }
}
