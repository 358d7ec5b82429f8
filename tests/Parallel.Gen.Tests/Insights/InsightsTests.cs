using ParallelGen.Tests.Reliability;

namespace ParallelGen.Tests.Insights;

/// <summary>ProcessPool.GetInsights: where a map's time went, per worker process, and its slowest items.</summary>
public sealed class InsightsTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromMilliseconds(600);

    [Fact]
    public void After_a_map_with_one_slow_item_the_insights_count_every_task_add_up_the_work_and_name_the_slow_item_first()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2 });

        int[] results = pool.StarMap(B.Uneven, Enumerable.Range(0, 40).Select(x => (x, 17, (int)Slow.TotalMilliseconds)));
        PoolInsights insights = pool.GetInsights();

        Assert.Equal(Enumerable.Range(0, 40), results);
        Assert.Equal(40, insights.Tasks);
        Assert.Equal(40, insights.Workers.Sum(w => w.Tasks));
        Assert.Equal(2, insights.Workers.Count);
        Assert.All(insights.Workers, w => Assert.Contains(w.ProcessId, pool.WorkerProcessIds));
        Assert.All(insights.Workers, w => Assert.True(w.StartupTime > TimeSpan.Zero && w.IsRunning, w.ToString()));

        // 600 ms + 39 × 5 ms of sleeping at least; never more than the two workers' wall time.
        TimeSpan least = Slow + TimeSpan.FromMilliseconds(39 * 5);
        Assert.True(insights.WorkTime >= least, $"work time {insights.WorkTime} < {least}");
        Assert.True(insights.WorkTime <= insights.Elapsed * 2, $"work time {insights.WorkTime} > 2 × {insights.Elapsed}");
        Assert.Equal(insights.WorkTime, TimeSpan.FromTicks(insights.Workers.Sum(w => w.WorkTime.Ticks)));

        SlowItem slowest = insights.SlowestItems[0];
        Assert.Equal(17, slowest.ItemIndex);
        Assert.True(slowest.Duration >= Slow && slowest.Duration < Slow * 3, $"item 17 took {slowest.Duration}");
        Assert.Equal("B.Uneven(int, int, int)", slowest.WorkerName);
        Assert.Contains(slowest.ProcessId, pool.WorkerProcessIds);
        Assert.True(insights.SlowestItems.Count <= PoolInsights.MaxSlowestItems);
        Assert.True(insights.SlowestItems.Skip(1).All(s => s.Duration < Slow));
    }

    [Fact]
    public void A_reset_starts_the_period_anew()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1 });
        _ = pool.StarMap(B.Uneven, Enumerable.Range(0, 5).Select(x => (x, 2, 50)));
        Assert.Equal(5, pool.GetInsights().Tasks);

        pool.ResetInsights();
        PoolInsights empty = pool.GetInsights();
        // Item 1 sleeps 300 ms, the others 5 ms: a margin no loaded machine's late wake-up closes.
        _ = pool.StarMap(B.Uneven, Enumerable.Range(0, 3).Select(x => (x, 1, 300)));
        PoolInsights after = pool.GetInsights();

        Assert.Equal(0, empty.Tasks);
        Assert.Empty(empty.SlowestItems);
        Assert.Equal(3, after.Tasks);
        Assert.Equal(1, after.SlowestItems[0].ItemIndex);
        Assert.Equal(TimeSpan.Zero, after.Workers.Single().StartupTime);
    }
}
