namespace ParallelGen;

/// <summary>
/// Where a <see cref="ProcessPool"/>'s time went (mpire's "insights"): for each worker process, how many items it ran, how long it
/// worked, waited for work, took to start and spent (de)serializing; and the slowest items with where they ran. Taken by
/// <see cref="ProcessPool.GetInsights"/> over the pool's life or since <see cref="ProcessPool.ResetInsights"/>. Always on: the
/// bookkeeping is a few clock reads per item and one lock per chunk.
/// </summary>
public sealed class PoolInsights
{
    internal PoolInsights(IReadOnlyList<WorkerInsights> workers, IReadOnlyList<SlowItem> slowestItems, TimeSpan elapsed)
    {
        Workers = workers;
        SlowestItems = slowestItems;
        Elapsed = elapsed;
    }

    /// <summary>
    /// Every worker process the pool ran in the period, in the order they started: a recycled, timed-out or crashed worker and
    /// its replacement are two entries (with two process ids) in the same <see cref="WorkerInsights.WorkerIndex"/>.
    /// </summary>
    public IReadOnlyList<WorkerInsights> Workers { get; }

    /// <summary>The slowest items of the period, slowest first (at most <see cref="MaxSlowestItems"/>). Each chunk's slowest item takes part.</summary>
    public IReadOnlyList<SlowItem> SlowestItems { get; }

    /// <summary>How long the period lasted: since the pool started, or since the last <see cref="ProcessPool.ResetInsights"/>.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Items run by all workers in the period.</summary>
    public long Tasks => Workers.Sum(w => w.Tasks);

    /// <summary>Time all workers spent in worker methods in the period.</summary>
    public TimeSpan WorkTime => TimeSpan.FromTicks(Workers.Sum(w => w.WorkTime.Ticks));

    /// <summary>How many <see cref="SlowestItems"/> are kept.</summary>
    public const int MaxSlowestItems = 10;
}
