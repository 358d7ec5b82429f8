using ParallelGen.Execution;
using ParallelGen.Insights;
using ParallelGen.Protocol;

namespace ParallelGen.Processes;

/// <summary>What the conversation learns about its worker beyond the results: its share of the pool's insights, its memory, its stacks.</summary>
internal sealed partial class WorkerConversation
{
    /// <summary>The worker said its resident set is over MaxMemoryPerChild: it leaves once it holds nothing. Under the gate.</summary>
    private bool _overMemory;

    /// <summary>This worker process's running totals for <see cref="ProcessPool.GetInsights"/>.</summary>
    public WorkerTally? Tally { get; init; }

    /// <summary>Where the slowest items of the pool are kept.</summary>
    public InsightsRecorder? Insights { get; init; }

    private static ChunkStats ReadStats(ReceivedFrame frame)
    {
        try
        {
            return ChunkStats.ReadReply(frame.Body);
        }
        catch (InvalidDataException)
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A reply came with what the worker measured: adds it to the insights (the worker's tally; the chunk's slowest item to the pool's
    /// slowest), and reports a worker that just said it is over its memory limit.
    /// </summary>
    private void Observe(PendingChunk chunk, ChunkStats stats, long busyStopwatchTicks, bool overMemory, bool fault)
    {
        if (overMemory)
        {
            _events.WorkerOverMemory(SlotIndex, ProcessId, stats.OverMemoryBytes, _settings.MaxMemoryPerChild ?? 0);
        }

        ChunkRequest request = chunk.Request;
        Tally?.Chunk(request.ItemCount, stats.WorkTicks, stats.SerializationTicks, busyStopwatchTicks);
        // No slowest item when the worker timed only the whole chunk (its items were too tiny for a clock read each).
        if (!fault && stats.SlowestTicks > 0 && stats.SlowestItem < request.ItemCount)
        {
            Insights?.Item(request.FirstItemIndex + stats.SlowestItem, stats.SlowestTicks, request.Worker.Name, ProcessId, SlotIndex);
        }
    }

    /// <summary>CaptureStacksOnTimeout: the stacks of this worker, about to be killed for <paramref name="reason"/>, logged and returned (null when off or impossible).</summary>
    private string? CaptureStacks(WorkerExitReason reason)
    {
        if (!_settings.CaptureStacksOnTimeout)
        {
            return null;
        }

        string? stacks = StackSnapshot.TryCapture(ProcessId, out string? failure);
        _events.StacksCaptured(SlotIndex, ProcessId, reason, stacks, failure);
        return stacks;
    }
}
