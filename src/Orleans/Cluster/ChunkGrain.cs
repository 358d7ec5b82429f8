using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace ParallelGen.Cluster;

/// <summary>
/// The grain behind <see cref="IChunkGrain"/>: a stateless worker, so it lives on every silo without a directory entry (a
/// client's placement hint picks the silo), and reentrant, because it only hands chunks to the silo's
/// <see cref="SiloChunkRunner"/>, which bounds how many run at once.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
internal sealed class ChunkGrain(SiloChunkRunner runner) : Grain, IChunkGrain
{
    public Task<ClusterChunkReply> RunAsync(ClusterChunk chunk, CancellationToken cancellationToken)
    {
        // The client's placement hint chose this silo; it must not steer calls the worker itself makes.
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        return runner.RunAsync(chunk, cancellationToken);
    }
}
