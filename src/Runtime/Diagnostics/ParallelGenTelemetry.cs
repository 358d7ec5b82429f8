using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ParallelGen.Diagnostics;

/// <summary>
/// The names under which Parallel.Gen publishes metrics and traces, for OpenTelemetry's
/// <c>AddMeter(ParallelGenTelemetry.MeterName)</c> and <c>AddSource(ParallelGenTelemetry.ActivitySourceName)</c>.
/// </summary>
/// <remarks>
/// Instruments of the meter: <c>parallelgen.tasks.completed</c> and <c>parallelgen.tasks.failed</c> (items),
/// <c>parallelgen.workers.restarts</c> (worker processes started again in a slot), <c>parallelgen.workers.recycled</c> (replaced on
/// purpose, tagged <c>reason</c> = <c>tasks</c> or <c>memory</c>), <c>parallelgen.task.duration</c>
/// (seconds per chunk, from sending it to its reply) and <c>parallelgen.queue.length</c> (chunks waiting for a worker).
/// Traces: a <c>Map</c>/<c>Imap</c> call is one activity with one child per chunk; the chunk's trace context travels
/// to the worker process, where the chunk runs under an activity of the same trace.
/// </remarks>
public static class ParallelGenTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/>: <c>ParallelGen</c>.</summary>
    public const string MeterName = "ParallelGen";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/>: <c>ParallelGen</c>.</summary>
    public const string ActivitySourceName = "ParallelGen";

    private static readonly string? Version = typeof(ParallelGenTelemetry).Assembly.GetName().Version?.ToString();

    internal static readonly ActivitySource Source = new(ActivitySourceName, Version);

    internal static readonly Meter Meter = new(MeterName, Version);

    internal static readonly Counter<long> TasksCompleted = Meter.CreateCounter<long>("parallelgen.tasks.completed", "{item}", "Items whose worker returned a result.");

    internal static readonly Counter<long> TasksFailed = Meter.CreateCounter<long>("parallelgen.tasks.failed", "{item}", "Items whose worker threw, crashed or timed out.");

    internal static readonly Counter<long> WorkerRestarts = Meter.CreateCounter<long>("parallelgen.workers.restarts", "{process}", "Worker processes started again in a slot after the previous one exited (crash, timeout, recycling).");

    internal static readonly Counter<long> WorkersRecycled = Meter.CreateCounter<long>("parallelgen.workers.recycled", "{process}", "Worker processes replaced on purpose: reason=tasks (MaxTasksPerChild) or reason=memory (MaxMemoryPerChild).");

    internal static readonly Histogram<double> ChunkDuration = Meter.CreateHistogram<double>("parallelgen.task.duration", "s", "Seconds from sending a chunk to its reply.");

    internal static readonly ObservableGauge<long> QueueLength = Meter.CreateObservableGauge("parallelgen.queue.length", QueuedChunks.Observe, "{chunk}", "Chunks waiting for a free worker, over all pools of this process.");
}
