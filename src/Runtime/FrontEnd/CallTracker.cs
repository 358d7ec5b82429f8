using System.Diagnostics;
using ParallelGen.Diagnostics;
using ParallelGen.Execution;

namespace ParallelGen.FrontEnd;

/// <summary>
/// What one Map/StarMap/Imap call reports as it goes: throttled <see cref="MapProgress"/>, the item counters and the
/// chunk-duration histogram of <see cref="ParallelGenTelemetry"/>, and the call's activity with one child per chunk.
/// Lives in the front end, so every executor (local processes, a cluster) gets it alike. Progress and counters are
/// updated by the consumer of the chunk stream only (one at a time); chunk activities end on whatever thread completes them.
/// </summary>
internal sealed class CallTracker : IDisposable
{
    private static readonly long ReportInterval = Stopwatch.Frequency / 10;

    private readonly IProgress<MapProgress>? _progress;
    private readonly WorkerMethod _worker;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Activity? _activity;
    private readonly string? _traceParent;
    private readonly KeyValuePair<string, object?> _workerTag;
    private long _lastReport;
    private int _completed;
    private int _failed;
    private int? _total;
    private bool _finalReported;

    public CallTracker(string operation, WorkerMethod worker, int? total, IProgress<MapProgress>? progress)
    {
        _worker = worker;
        _total = total;
        _progress = progress;
        _workerTag = new("parallelgen.worker", worker.Name);
        _activity = ParallelGenTelemetry.Source.StartActivity("ParallelGen." + operation, ActivityKind.Internal);
        if (_activity is not null)
        {
            _activity.DisplayName = operation + " " + worker.Name;
            _activity.SetTag("parallelgen.worker", worker.Name);
            if (total is int known)
            {
                _activity.SetTag("parallelgen.items", known);
            }
        }

        // Nobody listens to our source, but the caller may be traced (an ASP.NET request): the workers still join its trace.
        Activity? current = _activity ?? Activity.Current;
        _traceParent = current is { IdFormat: ActivityIdFormat.W3C } ? current.Id : null;
        _lastReport = _started;
    }

    /// <summary>The input ended after <paramref name="total"/> items: from now on reports carry the total.</summary>
    public void InputEnded(int total)
    {
        _total = total;
        _activity?.SetTag("parallelgen.items", total);
        if (_completed + _failed == total)
        {
            Report(force: true);
        }
    }

    /// <summary>Makes the request for a chunk about to be sent, starting its child activity (ended by <see cref="Settled"/>).</summary>
    public ChunkRequest Request(int startIndex, int count, ReadOnlyMemory<byte> arguments, out Activity? chunkActivity)
    {
        chunkActivity = null;
        if (_activity is not null)
        {
            Activity? previous = Activity.Current;
            chunkActivity = ParallelGenTelemetry.Source.StartActivity("ParallelGen.Chunk", ActivityKind.Client, _activity.Context);
            Activity.Current = previous;
            if (chunkActivity is not null)
            {
                chunkActivity.DisplayName = $"Chunk {_worker.Name} [{startIndex}..{startIndex + count - 1}]";
                chunkActivity.SetTag("parallelgen.worker", _worker.Name);
                chunkActivity.SetTag("parallelgen.chunk.start", startIndex);
                chunkActivity.SetTag("parallelgen.chunk.items", count);
            }
        }

        string? traceParent = chunkActivity is { IdFormat: ActivityIdFormat.W3C } ? chunkActivity.Id : _traceParent;
        return new ChunkRequest(_worker, count, arguments) { TraceParent = traceParent, FirstItemIndex = startIndex };
    }

    /// <summary>
    /// When a chunk handed over now should count from (<see cref="Stopwatch"/> ticks), or 0 when nobody listens to the
    /// chunk-duration histogram: two clock reads per chunk are a measurable share of a tiny chunk's cost.
    /// </summary>
    public static long ChunkSentAt() => ParallelGenTelemetry.ChunkDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>
    /// A chunk handed over at <paramref name="sentAt"/> (<see cref="Stopwatch"/> ticks, 0: not timed) settled: records its duration and
    /// ends its activity. Safe from any thread (an executor may call it on its own).
    /// </summary>
    public void Settled(Task<ChunkReply> outcome, long sentAt, Activity? chunkActivity)
    {
        if (sentAt != 0)
        {
            ParallelGenTelemetry.ChunkDuration.Record(Stopwatch.GetElapsedTime(sentAt).TotalSeconds, _workerTag);
        }

        if (chunkActivity is null)
        {
            return;
        }

        if (!outcome.IsCompletedSuccessfully)
        {
            chunkActivity.SetStatus(ActivityStatusCode.Error, outcome.IsCanceled ? "cancelled" : outcome.Exception?.InnerException?.Message);
        }
        else if (outcome.Result.IsFault)
        {
            chunkActivity.SetStatus(ActivityStatusCode.Error, "the chunk failed as a whole");
        }

        chunkActivity.Stop();
    }

    /// <summary>The consumer decoded a chunk: <paramref name="failed"/> of its <paramref name="count"/> items failed.</summary>
    public void ChunkDone(int count, int failed)
    {
        _completed += count - failed;
        _failed += failed;
        if (count - failed > 0)
        {
            ParallelGenTelemetry.TasksCompleted.Add(count - failed, _workerTag);
        }

        if (failed > 0)
        {
            ParallelGenTelemetry.TasksFailed.Add(failed, _workerTag);
        }

        Report(force: _total is int total && _completed + _failed == total);
    }

    /// <summary>The call ran to its end: make sure the last report (Completed + Failed == Total) went out, even for no items.</summary>
    public void Finished()
    {
        _total ??= _completed + _failed;
        if (!_finalReported)
        {
            Report(force: true);
        }
    }

    /// <summary>Marks the call's activity as failed (it ends when the tracker is disposed).</summary>
    public void Fail(Exception error)
    {
        _activity?.SetStatus(ActivityStatusCode.Error, error.Message);
    }

    public void Dispose() => _activity?.Stop();

    private void Report(bool force)
    {
        if (_progress is null || _finalReported)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        if (!force && now - _lastReport < ReportInterval)
        {
            return;
        }

        _lastReport = now;
        _finalReported = _total is int total && _completed + _failed == total;
        _progress.Report(new MapProgress(_completed, _failed, _total, Stopwatch.GetElapsedTime(_started, now)));
    }
}
