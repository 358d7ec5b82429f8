namespace ParallelGen;

/// <summary>One of the slowest items in a <see cref="PoolInsights"/>.</summary>
/// <param name="ItemIndex">Its index in its call's input (0 for an <c>Apply</c>).</param>
/// <param name="Duration">How long its worker method ran.</param>
/// <param name="WorkerName">The worker method, e.g. <c>Jobs.Crunch(int)</c>.</param>
/// <param name="ProcessId">The worker process that ran it.</param>
/// <param name="WorkerIndex">That process's pool slot.</param>
public sealed record SlowItem(int ItemIndex, TimeSpan Duration, string WorkerName, int ProcessId, int WorkerIndex);
