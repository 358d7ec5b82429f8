namespace ParallelGen;

/// <summary>One worker process's share of a <see cref="PoolInsights"/>.</summary>
public sealed class WorkerInsights
{
    internal WorkerInsights(int workerIndex, int processId, long tasks, long chunks, TimeSpan workTime, TimeSpan serializationTime, TimeSpan waitTime, TimeSpan startupTime, bool isRunning)
    {
        WorkerIndex = workerIndex;
        ProcessId = processId;
        Tasks = tasks;
        Chunks = chunks;
        WorkTime = workTime;
        SerializationTime = serializationTime;
        WaitTime = waitTime;
        StartupTime = startupTime;
        IsRunning = isRunning;
    }

    /// <summary>The pool slot the process filled (<see cref="WorkerContext.WorkerIndex"/> in the worker).</summary>
    public int WorkerIndex { get; }

    /// <summary>The worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Items it ran (a chunk of a <c>Map</c> counts its items; an <c>Apply</c> counts one).</summary>
    public long Tasks { get; }

    /// <summary>Chunks (messages) it ran.</summary>
    public long Chunks { get; }

    /// <summary>Time spent inside worker methods, as the worker measured it.</summary>
    public TimeSpan WorkTime { get; }

    /// <summary>Time the worker spent reading its chunks' arguments and writing their results (and anything else of a chunk outside the worker method).</summary>
    public TimeSpan SerializationTime { get; }

    /// <summary>Time it sat connected and idle, waiting for work (a short map on a big pool shows up here).</summary>
    public TimeSpan WaitTime { get; }

    /// <summary>From starting the process to its being ready for work: runtime start-up, handshake and <see cref="ProcessPoolOptions.Initializer"/>.</summary>
    public TimeSpan StartupTime { get; }

    /// <summary>Whether the process still serves the pool (otherwise it was recycled, timed out, crashed or drained).</summary>
    public bool IsRunning { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"worker {WorkerIndex} (process {ProcessId}): {Tasks} tasks, work {WorkTime.TotalMilliseconds:F1} ms, serialization {SerializationTime.TotalMilliseconds:F1} ms, wait {WaitTime.TotalMilliseconds:F1} ms, start-up {StartupTime.TotalMilliseconds:F1} ms";
}
