using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>CaptureStacksOnTimeout: a worker killed for overrunning TaskTimeout leaves its stacks in the exception (Parallel.Gen.Diagnostics, ClrMD).</summary>
public sealed class StackCaptureTests
{
    [Fact]
    public void A_worker_stuck_past_the_timeout_yields_stacks_that_name_the_method_and_the_pool_goes_on()
    {
        var events = new PoolEventLog();
        var options = new ProcessPoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromSeconds(1), CaptureStacksOnTimeout = true };
        using var pool = new ProcessPool(options, events);
        int stuck = pool.Apply(W.Pid, 0);

        var error = Assert.Throws<TaskTimeoutException>(() => pool.Apply(B.StuckInTheNamedMethod, 7));

        Assert.NotNull(error.WorkerStacks);
        Assert.Contains("StuckInTheNamedMethod", error.WorkerStacks, StringComparison.Ordinal);
        Assert.Contains($"worker process {stuck}", error.WorkerStacks, StringComparison.Ordinal);
        Assert.Contains("StuckInTheNamedMethod", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(events.Events, e => e.Kind == "stacks" && e.ProcessId == stuck && e.Reason == WorkerExitReason.TimedOut);

        // Killed after the capture (it let go of the process) and replaced.
        Assert.NotEqual(stuck, pool.Apply(W.Pid, 0));
        Assert.Equal(3, pool.Apply(W.Add, 1, 2));
    }

    [Fact]
    public void Without_the_option_no_stacks_are_taken()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromSeconds(1) });

        var error = Assert.Throws<TaskTimeoutException>(() => pool.Apply(B.StuckInTheNamedMethod, 7));

        Assert.Null(error.WorkerStacks);
    }
}
