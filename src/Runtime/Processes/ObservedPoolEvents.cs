using Microsoft.Extensions.Logging;
using ParallelGen.Diagnostics;

namespace ParallelGen.Processes;

/// <summary>
/// The pool's own event sink: logs every event to <see cref="ProcessPoolOptions.Logger"/> (silent without one), counts
/// worker restarts on the <c>parallelgen.workers.restarts</c> counter, then passes the event on (tests listen there).
/// </summary>
internal sealed partial class ObservedPoolEvents(ILogger? logger, IPoolEvents next) : IPoolEvents
{
    private readonly ILogger _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private readonly Lock _gate = new();
    private readonly HashSet<int> _startedSlots = [];

    public void WorkerStarted(int slot, int processId)
    {
        bool restart;
        lock (_gate)
        {
            restart = !_startedSlots.Add(slot);
        }

        if (restart)
        {
            ParallelGenTelemetry.WorkerRestarts.Add(1);
        }

        LogStarted(_logger, slot, processId);
        next.WorkerStarted(slot, processId);
    }

    public void WorkerExited(int slot, int processId, int exitCode, WorkerExitReason reason, string? detail)
    {
        switch (reason)
        {
            case WorkerExitReason.Drained or WorkerExitReason.Terminated:
                LogExited(_logger, slot, processId, exitCode, reason);
                break;
            case WorkerExitReason.Recycled:
                LogRecycled(_logger, slot, processId, exitCode);
                ParallelGenTelemetry.WorkersRecycled.Add(1, new KeyValuePair<string, object?>("reason", "tasks"));
                break;
            case WorkerExitReason.OverMemory:
                LogRecycledForMemory(_logger, slot, processId, exitCode);
                ParallelGenTelemetry.WorkersRecycled.Add(1, new KeyValuePair<string, object?>("reason", "memory"));
                break;
            case WorkerExitReason.Crashed:
                LogCrashed(_logger, slot, processId, exitCode, detail);
                break;
            case WorkerExitReason.TimedOut or WorkerExitReason.IgnoredCancellation:
                LogKilled(_logger, slot, processId, exitCode, reason);
                break;
            default:
                LogFailed(_logger, slot, processId, exitCode, reason, detail);
                break;
        }

        next.WorkerExited(slot, processId, exitCode, reason, detail);
    }

    public void TaskTimedOut(int slot, int processId, string worker, int? itemInChunk, TimeSpan elapsed)
    {
        LogTimedOut(_logger, worker, itemInChunk, elapsed.TotalSeconds, slot, processId);
        next.TaskTimedOut(slot, processId, worker, itemInChunk, elapsed);
    }

    public void ChunkRetried(int slot, int processId, string worker, int itemCount)
    {
        LogRetried(_logger, worker, itemCount, slot, processId);
        next.ChunkRetried(slot, processId, worker, itemCount);
    }

    public void CancellationSent(int slot, int processId, string worker)
    {
        LogCancelled(_logger, worker, slot, processId);
        next.CancellationSent(slot, processId, worker);
    }

    /// <summary>Not logged: it can happen many times a second (work stealing between workers).</summary>
    public void ChunksReturned(int slot, int processId, int count, bool cancelled) => next.ChunksReturned(slot, processId, count, cancelled);

    public void ConnectionRejected(string reason)
    {
        LogRejected(_logger, reason);
        next.ConnectionRejected(reason);
    }

    public void WorkerOverMemory(int slot, int processId, long residentBytes, long limitBytes)
    {
        LogOverMemory(_logger, slot, processId, residentBytes / (1024 * 1024), limitBytes / (1024 * 1024));
        next.WorkerOverMemory(slot, processId, residentBytes, limitBytes);
    }

    public void StacksCaptured(int slot, int processId, WorkerExitReason reason, string? stacks, string? failure)
    {
        if (stacks is not null)
        {
            LogStacks(_logger, slot, processId, reason, stacks);
        }
        else
        {
            LogNoStacks(_logger, slot, processId, reason, failure);
        }

        next.StacksCaptured(slot, processId, reason, stacks, failure);
    }

    [LoggerMessage(EventId = 1, EventName = "WorkerStarted", Level = LogLevel.Debug, Message = "Worker {WorkerIndex} started as process {WorkerPid}")]
    private static partial void LogStarted(ILogger logger, int workerIndex, int workerPid);

    [LoggerMessage(EventId = 2, EventName = "WorkerExited", Level = LogLevel.Debug, Message = "Worker {WorkerIndex} (process {WorkerPid}) exited with code {ExitCode}: {Reason}")]
    private static partial void LogExited(ILogger logger, int workerIndex, int workerPid, int exitCode, WorkerExitReason reason);

    [LoggerMessage(EventId = 3, EventName = "WorkerRecycled", Level = LogLevel.Information, Message = "Worker {WorkerIndex} (process {WorkerPid}) reached MaxTasksPerChild and exited with code {ExitCode}; a fresh process takes its place")]
    private static partial void LogRecycled(ILogger logger, int workerIndex, int workerPid, int exitCode);

    [LoggerMessage(EventId = 4, EventName = "WorkerCrashed", Level = LogLevel.Warning, Message = "Worker {WorkerIndex} (process {WorkerPid}) crashed with exit code {ExitCode}; its running items fail with WorkerCrashedException and a fresh process takes its place. {Detail}")]
    private static partial void LogCrashed(ILogger logger, int workerIndex, int workerPid, int exitCode, string? detail);

    [LoggerMessage(EventId = 5, EventName = "WorkerKilled", Level = LogLevel.Warning, Message = "Worker {WorkerIndex} (process {WorkerPid}) was killed ({Reason}) and exited with code {ExitCode}; a fresh process takes its place")]
    private static partial void LogKilled(ILogger logger, int workerIndex, int workerPid, int exitCode, WorkerExitReason reason);

    [LoggerMessage(EventId = 6, EventName = "WorkerFailed", Level = LogLevel.Error, Message = "Worker {WorkerIndex} (process {WorkerPid}) ended with exit code {ExitCode}: {Reason}. {Detail}")]
    private static partial void LogFailed(ILogger logger, int workerIndex, int workerPid, int exitCode, WorkerExitReason reason, string? detail);

    [LoggerMessage(EventId = 7, EventName = "TaskTimedOut", Level = LogLevel.Warning, Message = "An item of {Worker} (item {ItemInChunk} of its chunk) overran the task timeout after {ElapsedSeconds:F1} s in worker {WorkerIndex} (process {WorkerPid}); the worker is being killed")]
    private static partial void LogTimedOut(ILogger logger, string worker, int? itemInChunk, double elapsedSeconds, int workerIndex, int workerPid);

    [LoggerMessage(EventId = 8, EventName = "ChunkRetried", Level = LogLevel.Warning, Message = "A chunk of {ItemCount} items of {Worker} goes back to the queue after worker {WorkerIndex} (process {WorkerPid}) crashed (RetryCrashedItems)")]
    private static partial void LogRetried(ILogger logger, string worker, int itemCount, int workerIndex, int workerPid);

    [LoggerMessage(EventId = 9, EventName = "CancellationSent", Level = LogLevel.Debug, Message = "A running chunk of {Worker} was cancelled; worker {WorkerIndex} (process {WorkerPid}) was asked to stop it")]
    private static partial void LogCancelled(ILogger logger, string worker, int workerIndex, int workerPid);

    [LoggerMessage(EventId = 10, EventName = "ConnectionRejected", Level = LogLevel.Warning, Message = "A connection to the pool's endpoint was rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 11, EventName = "WorkerOverMemory", Level = LogLevel.Information, Message = "Worker {WorkerIndex} (process {WorkerPid}) uses {ResidentMiB} MiB, over MaxMemoryPerChild ({LimitMiB} MiB): it finishes what it holds and a fresh process takes its place")]
    private static partial void LogOverMemory(ILogger logger, int workerIndex, int workerPid, long residentMiB, long limitMiB);

    [LoggerMessage(EventId = 12, EventName = "WorkerRecycledForMemory", Level = LogLevel.Information, Message = "Worker {WorkerIndex} (process {WorkerPid}) went over MaxMemoryPerChild and exited with code {ExitCode}; a fresh process takes its place")]
    private static partial void LogRecycledForMemory(ILogger logger, int workerIndex, int workerPid, int exitCode);

    [LoggerMessage(EventId = 13, EventName = "WorkerStacks", Level = LogLevel.Warning, Message = "Worker {WorkerIndex} (process {WorkerPid}) is killed ({Reason}); its threads were here:\n{Stacks}")]
    private static partial void LogStacks(ILogger logger, int workerIndex, int workerPid, WorkerExitReason reason, string stacks);

    [LoggerMessage(EventId = 14, EventName = "WorkerStacksNotCaptured", Level = LogLevel.Warning, Message = "Worker {WorkerIndex} (process {WorkerPid}) is killed ({Reason}) without its stacks (CaptureStacksOnTimeout): {Failure}")]
    private static partial void LogNoStacks(ILogger logger, int workerIndex, int workerPid, WorkerExitReason reason, string? failure);
}
