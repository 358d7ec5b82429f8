using System.Diagnostics;

namespace ParallelGen.Insights;

/// <summary>
/// A pool's <see cref="PoolInsights"/> as they accumulate: a <see cref="WorkerTally"/> per worker process and the slowest items.
/// Cheap enough to be always on: a slot adds to its own tally once per chunk, and an item only takes the shared lock when it is
/// slower than the slowest items kept so far.
/// </summary>
internal sealed class InsightsRecorder
{
    private readonly Lock _gate = new();
    private readonly List<WorkerTally> _workers = [];

    /// <summary>The slowest items, slowest first; at most <see cref="PoolInsights.MaxSlowestItems"/>.</summary>
    private readonly List<SlowItem> _slowest = [];
    private long _periodStart = Stopwatch.GetTimestamp();

    /// <summary>TimeSpan ticks an item must exceed to enter <see cref="_slowest"/> once it is full: lets fast items skip the lock.</summary>
    private long _threshold = -1;

    /// <summary>A worker process was started in <paramref name="workerIndex"/> at <paramref name="launchedAt"/> (Stopwatch ticks).</summary>
    public WorkerTally Started(int workerIndex, int processId, long launchedAt)
    {
        var tally = new WorkerTally(workerIndex, processId, launchedAt);
        lock (_gate)
        {
            _workers.Add(tally);
        }

        return tally;
    }

    /// <summary>A chunk's slowest item (<paramref name="durationTicks"/> in TimeSpan ticks) competes for <see cref="PoolInsights.SlowestItems"/>.</summary>
    public void Item(int itemIndex, long durationTicks, string workerName, int processId, int workerIndex)
    {
        if (durationTicks <= Volatile.Read(ref _threshold))
        {
            return;
        }

        lock (_gate)
        {
            int at = _slowest.FindIndex(s => s.Duration.Ticks < durationTicks);
            if (at < 0)
            {
                if (_slowest.Count >= PoolInsights.MaxSlowestItems)
                {
                    return;
                }

                at = _slowest.Count;
            }

            _slowest.Insert(at, new SlowItem(itemIndex, TimeSpan.FromTicks(durationTicks), workerName, processId, workerIndex));
            if (_slowest.Count > PoolInsights.MaxSlowestItems)
            {
                _slowest.RemoveAt(_slowest.Count - 1);
            }

            if (_slowest.Count == PoolInsights.MaxSlowestItems)
            {
                Volatile.Write(ref _threshold, _slowest[^1].Duration.Ticks);
            }
        }
    }

    public PoolInsights Snapshot()
    {
        long now = Stopwatch.GetTimestamp();
        WorkerTally[] workers;
        SlowItem[] slowest;
        long periodStart;
        lock (_gate)
        {
            workers = [.. _workers];
            slowest = [.. _slowest];
            periodStart = _periodStart;
        }

        return new PoolInsights([.. workers.Select(w => w.Snapshot(now))], slowest, Stopwatch.GetElapsedTime(periodStart, now));
    }

    /// <summary>Starts a new period: exited workers and the slowest items are forgotten, running workers start from zero.</summary>
    public void Reset()
    {
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _workers.RemoveAll(w => w.Exited);
            foreach (WorkerTally tally in _workers)
            {
                tally.Reset(now);
            }

            _slowest.Clear();
            Volatile.Write(ref _threshold, -1);
            _periodStart = now;
        }
    }
}
