using System.Diagnostics;

namespace ParallelGen.Insights;

/// <summary>
/// One worker process's running totals for <see cref="PoolInsights"/>. Written by its slot (the reply reader, once per chunk) and
/// read by <see cref="InsightsRecorder.Snapshot"/>; a lock of its own, so workers never contend with each other.
/// </summary>
internal sealed class WorkerTally(int workerIndex, int processId, long launchedAt)
{
    private readonly Lock _gate = new();
    private long _tasks;
    private long _chunks;
    private long _workTicks;
    private long _serializationTicks;

    /// <summary>Stopwatch ticks the parent saw the worker busy (from a chunk's start to its reply): the rest of its connected time is waiting.</summary>
    private long _busyStopwatchTicks;
    private long _startupStopwatchTicks;
    private long _readyAt;
    private long _exitedAt;

    public int WorkerIndex { get; } = workerIndex;

    public int ProcessId { get; } = processId;

    public bool Exited => Volatile.Read(ref _exitedAt) != 0;

    /// <summary>The worker connected (and ran its initializer): start-up is over, waiting for work begins.</summary>
    public void Ready()
    {
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _readyAt = now;
            _startupStopwatchTicks = now - launchedAt;
        }
    }

    /// <summary>A chunk's reply came: <paramref name="busyStopwatchTicks"/> as the parent saw it, the rest as the worker measured it (TimeSpan ticks).</summary>
    public void Chunk(int items, long workTicks, long serializationTicks, long busyStopwatchTicks)
    {
        lock (_gate)
        {
            _tasks += items;
            _chunks++;
            _workTicks += workTicks;
            _serializationTicks += serializationTicks;
            _busyStopwatchTicks += busyStopwatchTicks;
        }
    }

    public void Exit()
    {
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _exitedAt = now;
        }
    }

    /// <summary>Starts the period again: what came before a reset no longer counts, start-up included.</summary>
    public void Reset(long now)
    {
        lock (_gate)
        {
            _tasks = _chunks = _workTicks = _serializationTicks = _busyStopwatchTicks = _startupStopwatchTicks = 0;
            if (_readyAt != 0)
            {
                _readyAt = now;
            }
        }
    }

    public WorkerInsights Snapshot(long now)
    {
        lock (_gate)
        {
            long end = _exitedAt != 0 ? _exitedAt : now;
            long connected = _readyAt == 0 ? 0 : Math.Max(0, end - _readyAt);
            TimeSpan wait = Stopwatch.GetElapsedTime(0, Math.Max(0, connected - _busyStopwatchTicks));
            return new WorkerInsights(
                WorkerIndex,
                ProcessId,
                _tasks,
                _chunks,
                TimeSpan.FromTicks(_workTicks),
                TimeSpan.FromTicks(_serializationTicks),
                wait,
                Stopwatch.GetElapsedTime(0, _startupStopwatchTicks),
                isRunning: _exitedAt == 0);
        }
    }
}
