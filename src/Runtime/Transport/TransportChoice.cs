namespace ParallelGen.Transport;

/// <summary>Which transport a parent actually uses for a worker: the option, the <c>PARALLELGEN_TRANSPORT</c> override of its default, and the platform.</summary>
internal static class TransportChoice
{
    /// <summary>The environment variable that overrides <see cref="WorkerTransport.Auto"/>: <c>shm</c> or <c>socket</c>.</summary>
    public const string EnvironmentVariable = "PARALLELGEN_TRANSPORT";

    /// <summary>Shared-memory rings need futexes to sleep on (Linux); elsewhere waiting would poll.</summary>
    public static bool SharedMemorySupported { get; } = OperatingSystem.IsLinux() && Platform.Futex.Mechanism.StartsWith("Linux", StringComparison.Ordinal);

    public static bool UsesSharedMemory(WorkerTransport requested)
    {
        if (requested == WorkerTransport.Auto)
        {
            requested = Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim().ToLowerInvariant() switch
            {
                "socket" or "sockets" or "off" or "0" => WorkerTransport.Socket,
                _ => WorkerTransport.SharedMemory,
            };
        }

        return requested == WorkerTransport.SharedMemory && SharedMemorySupported;
    }
}
