using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>TaskTimeout: an item that runs too long fails with TaskTimeoutException and its worker is killed and replaced.</summary>
public sealed class TimeoutTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void An_item_that_overruns_fails_with_TaskTimeoutException_naming_the_item_and_how_long_it_ran()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, TaskTimeout = Limit }, events);
        int before = pool.Apply(W.Pid, 0);

        // Item 3 of a chunk of six hangs: the worker itself knows which item runs and reports it.
        var error = Assert.Throws<TaskTimeoutException>(() => pool.StarMap(R.HangOn, Enumerable.Range(0, 6).Select(i => (i, 3)), chunkSize: 6));

        Assert.Equal(3, error.ItemIndex);
        Assert.Equal("R.HangOn(int, int)", error.WorkerName);
        Assert.True(error.Elapsed >= Limit, $"reported elapsed {error.Elapsed}");
        Assert.Equal(Limit, error.Timeout);
        Assert.Equal(before, error.WorkerProcessId);
        Assert.StartsWith("Item 3 of R.HangOn(int, int) ran for ", error.Message, StringComparison.Ordinal);
        Assert.Contains("TaskTimeout of 0.5 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("items 0..5", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<TimeoutException>(error);

        // Killed and replaced, and that is reported as a timeout, not a crash.
        Assert.NotEqual(before, pool.Apply(W.Pid, 0));
        Assert.Single(events.Exits(WorkerExitReason.TimedOut), e => e.ProcessId == before);
        Assert.Empty(events.Exits(WorkerExitReason.Crashed));
        Assert.Single(events.Events, e => e.Kind == "timed out" && e.Item == 3);
    }

    [Fact]
    public async Task Other_items_of_the_call_complete_and_the_lowest_failure_is_thrown()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, TaskTimeout = Limit });
        int[] items = [0, 1, 2, 3, 4, 5, -1, 7, 8, 9];

        var results = new List<int>();
        var error = await Assert.ThrowsAsync<TaskTimeoutException>(async () =>
        {
            await foreach (int r in pool.Imap(R.HangIfNegative, items, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
            {
                results.Add(r);
            }
        });

        Assert.Equal(6, error.ItemIndex);
        Assert.Equal([0, 1, 2, 3, 4, 5], results);
        Assert.Equal(3, await pool.ApplyAsync(W.Add, 1, 2, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_worker_too_frozen_to_report_is_caught_by_the_parents_own_deadline()
    {
        using var rendezvous = new Rendezvous();
        var events = new PoolEventLog();
        var options = new ProcessPoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromSeconds(2), TimeoutBackstopSlack = TimeSpan.FromMilliseconds(500) };
        using var pool = new ProcessPool(options, events);

        Task<int> call = pool.ApplyAsync(R.BlockOn, rendezvous.Path, 0, 0, TestContext.Current.CancellationToken);
        using Rendezvous.Arrival frozen = await rendezvous.NextAsync();

        // SIGSTOP freezes every thread of the worker, its watchdog included: only the parent can notice.
        using (var stop = System.Diagnostics.Process.Start("kill", ["-STOP", frozen.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await stop.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, stop.ExitCode);
        }

        var error = await Assert.ThrowsAsync<TaskTimeoutException>(() => call);

        Assert.Null(error.ItemIndex);
        Assert.True(error.Elapsed >= TimeSpan.FromSeconds(2.5), $"gave up after {error.Elapsed}");
        Assert.Contains("did not say which item overran", error.Message, StringComparison.Ordinal);
        Assert.Equal(WorkerExitReason.TimedOut, (await events.WaitForExitAsync(frozen.ProcessId)).Reason);
        Assert.Equal(3, pool.Apply(W.Add, 1, 2));
    }

    [Fact]
    public void The_initializer_is_not_timed()
    {
        var options = new ProcessPoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromMilliseconds(200) };
        options.SetInitializer(R.InitSlowly, "slow", 600);
        using var pool = new ProcessPool(options);

        var state = pool.Apply(R.Initialized, 0);

        Assert.Equal("slow", state.State);
    }

    [Fact]
    public void Items_within_the_limit_are_not_affected()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, TaskTimeout = TimeSpan.FromSeconds(30) });

        Assert.Equal(Enumerable.Range(0, 200).Select(x => (long)x * x), pool.Map(W.Square, Enumerable.Range(0, 200)));
    }

    [Fact]
    public void Out_of_range_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(new ProcessPoolOptions { Processes = 1, TaskTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(new ProcessPoolOptions { Processes = 1, TaskTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxTasksPerChild = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(new ProcessPoolOptions { Processes = 1, CancellationGracePeriod = TimeSpan.FromSeconds(-2) }));
    }
}
