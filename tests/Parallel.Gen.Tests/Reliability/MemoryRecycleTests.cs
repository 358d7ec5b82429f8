using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>MaxMemoryPerChild: a worker whose resident set grows past the limit finishes what it holds and is replaced; nothing is lost or run twice.</summary>
public sealed class MemoryRecycleTests
{
    [Fact]
    public void A_worker_that_keeps_64_MiB_per_item_is_replaced_under_a_300_MiB_limit_and_every_item_returns_once_in_order()
    {
        string markers = Directory.CreateTempSubdirectory("pgen-memory-").FullName;
        try
        {
            var events = new PoolEventLog();
            using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, MaxMemoryPerChild = 300L * 1024 * 1024 }, events);

            (int Item, int Pid)[] results = pool.StarMap(B.KeepMemory, Enumerable.Range(0, 24).Select(x => (markers, x)), chunkSize: 1);

            // In order, each once: and each ran once (one marker per run).
            Assert.Equal(Enumerable.Range(0, 24), results.Select(r => r.Item));
            string[] runs = [.. Directory.GetFiles(markers).Select(f => Path.GetFileName(f).Split('.')[0])];
            Assert.Equal(Enumerable.Range(0, 24).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal), runs.Order(StringComparer.Ordinal));

            // 24 × 64 MiB is 1.5 GiB: with a worker replaced near 300 MiB, well over two workers took part.
            int processes = results.Select(r => r.Pid).Distinct().Count();
            Assert.True(processes >= 5, $"only {processes} worker processes ran the 24 items");
            Assert.True(events.Exits(WorkerExitReason.OverMemory).Count >= 3, string.Join(", ", events.Events.Select(e => $"{e.Kind} {e.Reason}")));
            Assert.Contains(events.Events, e => e.Kind == "over memory" && long.Parse(e.Detail!, System.Globalization.CultureInfo.InvariantCulture) > 300L * 1024 * 1024);
            Assert.Empty(events.Exits(WorkerExitReason.Crashed));
            Assert.All(events.Exits(WorkerExitReason.OverMemory), e => Assert.Equal(0, e.ExitCode));

            // The pool goes on with fresh workers.
            Assert.Equal(3, pool.Apply(W.Add, 1, 2));
        }
        finally
        {
            Directory.Delete(markers, recursive: true);
        }
    }

    [Fact]
    public void A_limit_below_one_MiB_is_refused_at_the_pool()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(new ProcessPoolOptions { Processes = 1, MaxMemoryPerChild = 300 * 1024 }));

        Assert.Equal("MaxMemoryPerChild", error.ParamName);
    }
}
