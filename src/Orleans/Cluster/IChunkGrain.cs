using System.ComponentModel;
using Orleans;

namespace ParallelGen.Cluster;

/// <summary>
/// The stateless worker every silo with <c>AddParallelGenWorkers()</c> hosts: runs a chunk of a [Worker] by its
/// generated id with the silo's copy of the generated dispatch table. Used by <see cref="ClusterPool"/>; not meant
/// for application code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[Alias("ParallelGen.Cluster.IChunkGrain")]
public interface IChunkGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Runs <paramref name="chunk"/> on this silo. Cancelling <paramref name="cancellationToken"/> reaches the silo, which
    /// drops the chunk if it is still queued and passes the cancellation on to the worker if it runs.
    /// </summary>
    /// <remarks>
    /// A chunk may legitimately run for hours, so the call does not use Orleans' default 30-second response timeout; a silo
    /// that dies is noticed through cluster membership instead, and the client retries the chunks it held.
    /// </remarks>
    [Alias("Run")]
    [ResponseTimeout("1.00:00:00")]
    Task<ClusterChunkReply> RunAsync(ClusterChunk chunk, CancellationToken cancellationToken);
}
