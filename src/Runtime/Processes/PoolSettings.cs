namespace ParallelGen.Processes;

/// <summary>A validated snapshot of <see cref="ProcessPoolOptions"/>: what a running pool goes by.</summary>
internal sealed record PoolSettings(
    int Processes,
    string? WorkerExecutable,
    int MaxFrameLength,
    int? MaxTasksPerChild,
    TimeSpan? TaskTimeout,
    TimeSpan CancellationGracePeriod,
    bool RetryCrashedItems,
    WorkerInitializer? Initializer,
    TimeSpan TimeoutBackstopSlack,
    bool PrefixWorkerOutput,
    int PipelineDepth = 1,
    WorkerTransport Transport = WorkerTransport.Auto)
{
    /// <summary>Resident bytes above which a worker is replaced after an item; null: no limit.</summary>
    public long? MaxMemoryPerChild { get; init; }

    /// <summary>Capture a stuck worker's stacks before it is killed.</summary>
    public bool CaptureStacksOnTimeout { get; init; }

    /// <summary>A blocked <c>Apply</c> caller reads its own reply where the transport allows (see WorkerConversation's Reading part).</summary>
    public bool CallersRead { get; init; } = true;
}
