namespace ParallelGen;

/// <summary>How a <see cref="ClusterPool"/> sends work to the cluster.</summary>
public sealed class ClusterPoolOptions
{
    /// <summary>
    /// How many chunks the cluster runs at once (the sum of the silos' worker processes); sizes default chunks and bounds the
    /// chunks in flight, as <c>processes</c> does for a <see cref="ProcessPool"/>. <see langword="null"/> (the default) learns it
    /// from the silos' replies; until the first reply it guesses the active silos × this machine's processor count.
    /// </summary>
    public int? Concurrency { get; set; }

    /// <summary>
    /// A chunk closes once its serialized arguments reach this many bytes (default 4 MiB), so that every Orleans message stays well
    /// below Orleans' <c>MaxMessageBodySize</c> (100 MiB by default) and big inputs travel as many messages. An item larger than this
    /// travels alone.
    /// </summary>
    public int MaxChunkBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The largest chunk message the pool sends, in bytes (default 100 MiB, Orleans' default <c>MaxMessageBodySize</c>). A chunk
    /// whose arguments exceed it (a single huge item) fails with a clear error instead of breaking the connection. Raise it
    /// together with Orleans' <c>MessagingOptions.MaxMessageBodySize</c> on the client and the silos.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>
    /// How many times a chunk is sent again when the silo holding it died or stopped before answering (default 3); then it fails
    /// with <see cref="WorkerCrashedException"/>. A worker crash inside a silo is not retried (as on one machine).
    /// </summary>
    public int SiloLossRetries { get; set; } = 3;

    /// <summary>How long to wait before sending a chunk again after losing its silo, times the attempt number (default 250 ms), so that membership can catch up.</summary>
    public TimeSpan SiloLossRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);
}
