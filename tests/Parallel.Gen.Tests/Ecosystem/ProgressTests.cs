namespace ParallelGen.Tests.Ecosystem;

/// <summary>Records every report synchronously (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
internal sealed class ProgressLog : IProgress<MapProgress>
{
    private readonly Lock _gate = new();
    private readonly List<MapProgress> _reports = [];

    public IReadOnlyList<MapProgress> Reports
    {
        get
        {
            lock (_gate)
            {
                return [.. _reports];
            }
        }
    }

    public MapProgress Last => Reports[^1];

    public void Report(MapProgress value)
    {
        lock (_gate)
        {
            _reports.Add(value);
        }
    }

    /// <summary>Counts never go back, and a known total never changes.</summary>
    public void AssertMonotonic()
    {
        IReadOnlyList<MapProgress> reports = Reports;
        for (int i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].Completed >= reports[i - 1].Completed, $"Completed went back at report {i}");
            Assert.True(reports[i].Failed >= reports[i - 1].Failed, $"Failed went back at report {i}");
            Assert.True(reports[i].Elapsed >= reports[i - 1].Elapsed, $"Elapsed went back at report {i}");
        }

        Assert.Single(reports, r => r.Total is int t && r.Done == t);
    }
}

[Collection(SharedPoolDefinition.Name)]
public sealed class ProgressTests(SharedPoolFixture fixture)
{
    private readonly ProcessPool _pool = fixture.Pool;

    [Fact]
    public void Map_reports_throttled_progress_that_ends_at_the_total()
    {
        var log = new ProgressLog();

        long[] squares = _pool.Map(W.Square, Enumerable.Range(0, 3000).ToArray(), chunkSize: 1, progress: log);

        Assert.Equal(3000, squares.Length);
        Assert.Equal(new MapProgress(3000, 0, 3000, log.Last.Elapsed), log.Last);
        log.AssertMonotonic();

        // Throttled: at most one report per 100 ms, plus the final one (not one per item or chunk).
        Assert.True(log.Reports.Count <= (log.Last.Elapsed.TotalMilliseconds / 100) + 2, $"{log.Reports.Count} reports in {log.Last.Elapsed}");
        Assert.All(log.Reports, r => Assert.Equal(3000, r.Total));
    }

    [Fact]
    public async Task A_lazy_input_reports_the_total_once_it_is_known()
    {
        var log = new ProgressLog();

        long[] squares = await _pool.MapAsync(W.Square, Lazy(57), chunkSize: 5, progress: log, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(57, squares.Length);
        Assert.Equal(57, log.Last.Total);
        Assert.Equal(57, log.Last.Completed);
        Assert.All(log.Reports, r => Assert.True(r.Total is null or 57));
        log.AssertMonotonic();
    }

    [Fact]
    public void Failed_items_are_counted_and_the_last_report_still_adds_up()
    {
        var log = new ProgressLog();

        Assert.Throws<WorkerException>(() => _pool.Map(W.FailOn, Enumerable.Range(0, 100), chunkSize: 7, progress: log));

        Assert.Equal(90, log.Last.Completed);
        Assert.Equal(10, log.Last.Failed);
        Assert.Equal(100, log.Last.Total);
        log.AssertMonotonic();
    }

    [Fact]
    public async Task StarMap_Imap_and_ImapUnordered_report_too()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        (int, int)[] pairs = [.. Enumerable.Range(0, 40).Select(i => (i, i))];
        var star = new ProgressLog();
        var starAsync = new ProgressLog();
        var imap = new ProgressLog();
        var unordered = new ProgressLog();

        _pool.StarMap(W.Add, pairs, chunkSize: 3, progress: star);
        await _pool.StarMapAsync(W.Add, pairs, chunkSize: 3, progress: starAsync, cancellationToken: ct);
        await foreach (long _ in _pool.Imap(W.Square, Enumerable.Range(0, 40), chunkSize: 3, progress: imap, cancellationToken: ct))
        {
        }

        await foreach (long _ in _pool.ImapUnordered(W.Square, Lazy(40), chunkSize: 3, progress: unordered, cancellationToken: ct))
        {
        }

        foreach (ProgressLog log in new[] { star, starAsync, imap, unordered })
        {
            Assert.Equal(new MapProgress(40, 0, 40, log.Last.Elapsed), log.Last);
            log.AssertMonotonic();
        }
    }

    [Fact]
    public void An_empty_input_reports_once_that_all_zero_items_are_done()
    {
        var log = new ProgressLog();

        long[] none = _pool.Map(W.Square, Lazy(0), progress: log);

        Assert.Empty(none);
        MapProgress only = Assert.Single(log.Reports);
        Assert.Equal((0, 0, (int?)0), (only.Completed, only.Failed, only.Total));
        Assert.Equal(1.0, only.Fraction);
    }

    private static IEnumerable<int> Lazy(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i;
        }
    }
}
