using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ParallelGen.Diagnostics;
using ParallelGen.Tests.Reliability;

namespace ParallelGen.Tests.Ecosystem;

/// <summary>The ParallelGen meter, observed with a MeterListener (other tests run in parallel: measurements are picked out by worker name).</summary>
public sealed class MetricsTests : IDisposable
{
    private readonly string _markers = Directory.CreateTempSubdirectory("pgen-metrics-").FullName;
    private readonly ConcurrentQueue<(string Instrument, double Value, string? Worker)> _measurements = new();
    private readonly MeterListener _listener = new();

    public MetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ParallelGenTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_markers, recursive: true);
    }

    [Fact]
    public void Items_are_counted_per_item_and_chunks_are_timed()
    {
        using var pool = new ProcessPool(processes: 2);

        Assert.Throws<WorkerException>(() => pool.Map(E.FailOnSeven, Enumerable.Range(0, 20), chunkSize: 5));

        const string worker = "E.FailOnSeven(int)";
        Assert.Equal(18, Sum("parallelgen.tasks.completed", worker));
        Assert.Equal(2, Sum("parallelgen.tasks.failed", worker));

        // The duration is recorded as each chunk settles, which may be just after the call returned.
        SpinWait.SpinUntil(() => Values("parallelgen.task.duration", worker).Length == 4, TimeSpan.FromSeconds(30));
        double[] durations = Values("parallelgen.task.duration", worker);
        Assert.Equal(4, durations.Length);
        Assert.All(durations, d => Assert.True(d > 0 && d < 60, $"{d} s"));
    }

    [Fact]
    public void The_queue_length_gauge_is_observable()
    {
        // The meter's instruments exist once a pool has been used in this process; don't depend on test order for that.
        using (var pool = new ProcessPool(processes: 1))
        {
            pool.Map(W.Square, [1]);
        }

        _listener.RecordObservableInstruments();

        Assert.Contains(_measurements, m => m.Instrument == "parallelgen.queue.length" && m.Value >= 0);
    }

    [Fact]
    public async Task A_worker_started_again_after_a_crash_counts_as_a_restart()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1 }, events);
        var items = Enumerable.Range(0, 2).Select(i => (_markers, i, 0, CrashKind.Exit)).ToArray();

        var error = Assert.Throws<WorkerCrashedException>(() => pool.StarMap(R.CrashOn, items, chunkSize: 1));
        await events.WaitForAsync(e => e.Kind == "started" && e.ProcessId != error.WorkerProcessId);

        Assert.True(Sum("parallelgen.workers.restarts", null) >= 1);
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? worker = null;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "parallelgen.worker")
            {
                worker = tag.Value as string;
            }
        }

        _measurements.Enqueue((instrument.Name, value, worker));
    }

    private double[] Values(string instrument, string? worker) =>
        [.. _measurements.Where(m => m.Instrument == instrument && (worker is null || m.Worker == worker)).Select(m => m.Value)];

    private double Sum(string instrument, string? worker) => Values(instrument, worker).Sum();
}
