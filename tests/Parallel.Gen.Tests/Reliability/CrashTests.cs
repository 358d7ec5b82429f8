using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>Workers that really die: each fails only the items it held, the rest of the call completes, and the pool carries on.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly string _markers = Directory.CreateTempSubdirectory("pgen-crash-").FullName;

    public void Dispose() => Directory.Delete(_markers, recursive: true);

    [Theory]
    [InlineData(CrashKind.Exit)]
    [InlineData(CrashKind.StackOverflow)]
    [InlineData(CrashKind.FailFast)]
    [InlineData(CrashKind.Segfault)]
    public void A_dying_worker_fails_only_its_item_and_is_replaced(CrashKind how)
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2 }, events);
        var items = Enumerable.Range(0, 8).Select(i => (_markers, i, 5, how)).ToArray();

        var error = Assert.Throws<WorkerCrashedException>(() => pool.StarMap(R.CrashOn, items, chunkSize: 1));

        Assert.Equal(5, error.FirstItemIndex);
        Assert.Equal([5], error.ItemIndices);
        Assert.Equal("R.CrashOn(string, int, int, CrashKind)", error.WorkerName);
        Assert.NotEqual(0, error.WorkerProcessId);
        Assert.NotEqual(Environment.ProcessId, error.WorkerProcessId);
        Assert.Contains($"Worker process {error.WorkerProcessId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("item 5 of R.CrashOn", error.Message, StringComparison.Ordinal);
        switch (how)
        {
            case CrashKind.Exit:
                Assert.Equal(42, error.ExitCode);
                Assert.Null(error.Signal);
                break;
            case CrashKind.Segfault:
                Assert.Equal(11, error.Signal);
                break;
            default:
                // The runtime aborts the process on a stack overflow or FailFast.
                Assert.Equal(6, error.Signal);
                break;
        }

        // Every other item ran (Map raises only once all items are done), and the pool works with a replacement.
        Assert.Equal(7, Directory.GetFiles(_markers).Length);
        int[] pids = pool.Map(W.Pid, Enumerable.Range(0, 20), chunkSize: 1);
        Assert.DoesNotContain(error.WorkerProcessId, pids);
        Assert.Single(events.Exits(WorkerExitReason.Crashed), e => e.ProcessId == error.WorkerProcessId);
    }

    [Fact]
    public async Task A_worker_killed_from_outside_fails_only_its_item()
    {
        using var rendezvous = new Rendezvous();
        using var pool = new ProcessPool(processes: 2);
        var items = Enumerable.Range(0, 10).Select(i => (rendezvous.Path, i, 4)).ToArray();

        Task<int[]> map = pool.StarMapAsync(R.BlockOn, items, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken);
        using (Rendezvous.Arrival victim = await rendezvous.NextAsync())
        {
            using var process = System.Diagnostics.Process.GetProcessById(victim.ProcessId);
            process.Kill();
        }

        var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => map);

        Assert.Equal(4, error.FirstItemIndex);
        Assert.Equal(1, error.ItemCount);
        Assert.Equal(9, error.Signal);
        Assert.Equal(137, error.ExitCode);
        Assert.Contains("SIGKILL", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, pool.Apply(W.Add, 1, 2));
    }

    [Fact]
    public void A_crash_fails_the_whole_chunk_the_worker_held_and_names_its_items()
    {
        using var pool = new ProcessPool(processes: 2);
        var items = Enumerable.Range(0, 12).Select(i => (_markers, i, 7, CrashKind.Exit)).ToArray();

        var error = Assert.Throws<WorkerCrashedException>(() => pool.StarMap(R.CrashOn, items, chunkSize: 4));

        Assert.Equal(4, error.FirstItemIndex);
        Assert.Equal([4, 5, 6, 7], error.ItemIndices);
        Assert.Contains("items 4..7 of R.CrashOn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetryCrashedItems_runs_a_crashed_chunk_again_on_another_worker()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, RetryCrashedItems = true }, events);
        var items = Enumerable.Range(0, 6).Select(i => (_markers, i)).ToArray();

        int[] results = pool.StarMap(R.ExitFirstTime, items, chunkSize: 1);

        Assert.Equal([0, 10, 20, 30, 40, 50], results);
        Assert.Single(events.Events, e => e.Kind == "retried");
    }

    [Fact]
    public void A_chunk_that_crashes_again_on_retry_fails_and_names_both_crashes()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, RetryCrashedItems = true }, events);

        var error = Assert.Throws<WorkerCrashedException>(() => pool.Apply(R.CrashOn, _markers, 1, 1, CrashKind.Exit));

        var earlier = Assert.IsType<WorkerCrashedException>(error.InnerException);
        Assert.NotEqual(earlier.WorkerProcessId, error.WorkerProcessId);
        Assert.Contains("second attempt", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, events.Exits(WorkerExitReason.Crashed).Count);
    }

    [Fact]
    public void Without_RetryCrashedItems_a_crash_is_not_retried()
    {
        using var pool = new ProcessPool(processes: 1);

        var error = Assert.Throws<WorkerCrashedException>(() => pool.StarMap(R.ExitFirstTime, [(_markers, 2)]));

        Assert.Equal(3, error.ExitCode);
        Assert.Equal([20], pool.StarMap(R.ExitFirstTime, [(_markers, 2)]));
    }
}
