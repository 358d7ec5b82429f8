using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>MaxTasksPerChild: workers leave cleanly after N tasks and fresh ones take their place; recycling is never a crash.</summary>
public sealed class RecycleTests
{
    [Fact]
    public void Workers_are_replaced_after_MaxTasksPerChild_tasks_without_a_crash()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 2 }, events);

        int[] pids = pool.Map(W.Pid, Enumerable.Range(0, 6), chunkSize: 1);

        // One worker at a time, two tasks each: three processes, in order.
        Assert.Equal(3, pids.Distinct().Count());
        Assert.All(pids.GroupBy(p => p), g => Assert.Equal(2, g.Count()));
        Assert.True(events.Exits(WorkerExitReason.Recycled).Count >= 2);
        Assert.Empty(events.Exits(WorkerExitReason.Crashed));
        Assert.All(events.Exits(WorkerExitReason.Recycled), e => Assert.Equal(0, e.ExitCode));
    }

    [Fact]
    public void A_task_is_a_chunk_as_in_Python()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 1 });

        int[] pids = pool.Map(W.Pid, Enumerable.Range(0, 8), chunkSize: 4);

        Assert.Equal(2, pids.Distinct().Count());
        Assert.Equal(pids[0], pids[3]);
        Assert.NotEqual(pids[3], pids[4]);
    }

    [Fact]
    public void Every_recycled_worker_runs_the_initializer_again()
    {
        var options = new ProcessPoolOptions { Processes = 2, MaxTasksPerChild = 3 };
        options.SetInitializer(R.Init, "again", 2);
        using var pool = new ProcessPool(options);

        var states = pool.Map(R.Initialized, Enumerable.Range(0, 12), chunkSize: 1);

        Assert.True(states.Select(s => s.Pid).Distinct().Count() >= 4);
        Assert.All(states, s => Assert.Equal(("again:2", 1), (s.State, s.Initializations)));
    }
}
