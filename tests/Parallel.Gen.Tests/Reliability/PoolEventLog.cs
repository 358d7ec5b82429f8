using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>One thing the pool reported.</summary>
internal sealed record PoolEvent(string Kind, int Slot, int ProcessId, WorkerExitReason? Reason = null, string? Detail = null, int? Item = null, int? ExitCode = null);

/// <summary>Records what a pool reports about its workers, so tests can await events instead of sleeping.</summary>
internal sealed class PoolEventLog : IPoolEvents
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(60);
    private readonly Lock _gate = new();
    private readonly List<PoolEvent> _events = [];
    private readonly List<(Func<PoolEvent, bool> Match, TaskCompletionSource<PoolEvent> Done)> _waiters = [];

    public IReadOnlyList<PoolEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<PoolEvent> Exits(WorkerExitReason reason) => [.. Events.Where(e => e.Kind == "exited" && e.Reason == reason)];

    /// <summary>The first event (already seen or still to come) that matches.</summary>
    public async Task<PoolEvent> WaitForAsync(Func<PoolEvent, bool> match)
    {
        TaskCompletionSource<PoolEvent> done;
        lock (_gate)
        {
            if (_events.FirstOrDefault(match) is { } seen)
            {
                return seen;
            }

            done = new TaskCompletionSource<PoolEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
        }

        return await done.Task.WaitAsync(WaitTimeout);
    }

    public Task<PoolEvent> WaitForExitAsync(int processId) => WaitForAsync(e => e.Kind == "exited" && e.ProcessId == processId);

    public void WorkerStarted(int slot, int processId) => Add(new PoolEvent("started", slot, processId));

    public void WorkerExited(int slot, int processId, int exitCode, WorkerExitReason reason, string? detail) => Add(new PoolEvent("exited", slot, processId, reason, detail, ExitCode: exitCode));

    public void TaskTimedOut(int slot, int processId, string worker, int? itemInChunk, TimeSpan elapsed) => Add(new PoolEvent("timed out", slot, processId, Detail: worker, Item: itemInChunk));

    public void ChunkRetried(int slot, int processId, string worker, int itemCount) => Add(new PoolEvent("retried", slot, processId, Detail: worker, Item: itemCount));

    public void CancellationSent(int slot, int processId, string worker) => Add(new PoolEvent("cancel sent", slot, processId, Detail: worker));

    public void ChunksReturned(int slot, int processId, int count, bool cancelled) => Add(new PoolEvent(cancelled ? "dropped" : "returned", slot, processId, Item: count));

    public void ConnectionRejected(string reason) => Add(new PoolEvent("rejected", -1, 0, Detail: reason));

    public void WorkerOverMemory(int slot, int processId, long residentBytes, long limitBytes) => Add(new PoolEvent("over memory", slot, processId, Detail: residentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public void StacksCaptured(int slot, int processId, WorkerExitReason reason, string? stacks, string? failure) => Add(new PoolEvent(stacks is null ? "no stacks" : "stacks", slot, processId, reason, stacks ?? failure));

    private void Add(PoolEvent e)
    {
        List<TaskCompletionSource<PoolEvent>> matched = [];
        lock (_gate)
        {
            _events.Add(e);
            _waiters.RemoveAll(w =>
            {
                if (!w.Match(e))
                {
                    return false;
                }

                matched.Add(w.Done);
                return true;
            });
        }

        foreach (TaskCompletionSource<PoolEvent> done in matched)
        {
            done.TrySetResult(e);
        }
    }
}
