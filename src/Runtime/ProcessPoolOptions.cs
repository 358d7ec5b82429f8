namespace ParallelGen;

/// <summary>How a <see cref="ProcessPool"/> starts and runs its worker processes.</summary>
public sealed class ProcessPoolOptions
{
    /// <summary>
    /// Number of worker processes. <see langword="null"/> (the default) means <see cref="Environment.ProcessorCount"/>,
    /// as Python's <c>Pool()</c>; leave one core free with <c>Environment.ProcessorCount - 1</c> when the parent is busy too.
    /// </summary>
    public int? Processes { get; set; }

    /// <summary>
    /// A separate executable to run as the workers (it must contain or reference the <see cref="WorkerAttribute"/> methods and
    /// reference Parallel.Gen). <see langword="null"/> (the default) starts this program again.
    /// </summary>
    public string? WorkerExecutable { get; set; }

    /// <summary>The largest message (a chunk's arguments or results) the channel accepts, in bytes. Default 1 GiB; big arrays belong in shared memory.</summary>
    public int MaxMessageBytes { get; set; } = Protocol.ProtocolConstants.DefaultMaxFrameLength;

    internal int ResolveProcesses()
    {
        int processes = Processes ?? Environment.ProcessorCount;
        if (processes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Processes), processes, "A pool needs at least one worker process (null means Environment.ProcessorCount).");
        }

        return processes;
    }
}
