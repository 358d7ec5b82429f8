using Orleans;
using ParallelGen.Cluster;

namespace ParallelGen;

/// <summary>
/// The pool API on a Microsoft Orleans cluster (as Ray's <c>ray.util.multiprocessing.Pool</c> is Python's <c>Pool</c> on a Ray
/// cluster): the same <see cref="WorkerAttribute"/> methods and the same <c>Map</c>, <c>StarMap</c>, <c>Apply</c>, <c>Imap</c>
/// calls, with the chunks run by the silos that called <c>AddParallelGenWorkers()</c>, each on its own worker processes.
/// <code>
/// using var pool = new ClusterPool(clusterClient);
/// long[] squares = pool.Map(Jobs.Square, Enumerable.Range(0, 1_000_000));
/// </code>
/// The silos' programs must contain (or reference) the same [Worker] methods: a silo finds a worker by its generated id.
/// </summary>
/// <remarks>
/// Faults as on one machine: a worker exception is a <see cref="WorkerException"/>; a worker process that dies on a silo fails
/// its chunk with <see cref="WorkerCrashedException"/>. New here: a silo that dies or stops before answering loses only the
/// chunks it held, and those are sent again (<see cref="ClusterPoolOptions.SiloLossRetries"/>), so a worker may run twice for
/// the same item. Cancellation reaches the silos. Disposing the pool does not dispose the cluster client.
/// </remarks>
public sealed class ClusterPool : WorkerPool
{
    /// <summary>Creates a pool that runs work on the cluster <paramref name="client"/> is connected to.</summary>
    public ClusterPool(IClusterClient client, ClusterPoolOptions? options = null)
        : this((IGrainFactory)client, options)
    {
    }

    /// <summary>
    /// Creates a pool from a grain factory: inside a silo (a grain's <c>GrainFactory</c>, or the silo's <see cref="IGrainFactory"/>
    /// service), or from any client.
    /// </summary>
    public ClusterPool(IGrainFactory grainFactory, ClusterPoolOptions? options = null)
        : base(CreateExecutor(grainFactory, options ?? new ClusterPoolOptions()))
    {
    }

    /// <summary>How many chunks each silo has answered (keyed by silo address) since the pool was created: where the work went.</summary>
    public IReadOnlyDictionary<string, int> ChunksBySilo => ClusterExecutor.ChunksBySilo;

    /// <summary>How many times a chunk was sent again because the silo holding it died or stopped before answering.</summary>
    public long SiloLossRetries => ClusterExecutor.Retries;

    private ClusterExecutor ClusterExecutor => (ClusterExecutor)Executor;

    private static ClusterExecutor CreateExecutor(IGrainFactory grainFactory, ClusterPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        if (options.Concurrency is int concurrency)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1, nameof(options.Concurrency));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxChunkBytes, 1, nameof(options.MaxChunkBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessageBytes, 1024, nameof(options.MaxMessageBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(options.SiloLossRetries, nameof(options.SiloLossRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SiloLossRetryDelay, TimeSpan.Zero, nameof(options.SiloLossRetryDelay));
        return new ClusterExecutor(grainFactory, options);
    }
}
