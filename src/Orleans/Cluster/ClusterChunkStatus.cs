using System.ComponentModel;
using Orleans;

namespace ParallelGen.Cluster;

/// <summary>What became of a chunk on a silo. Part of the wire contract; not meant for application code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[GenerateSerializer, Alias("ParallelGen.Cluster.ClusterChunkStatus")]
public enum ClusterChunkStatus : byte
{
    /// <summary>The chunk ran; the body holds its results (per-item values and failures), as a worker process sends them.</summary>
    Results = 0,

    /// <summary>The chunk as a whole could not run (unknown worker id, unreadable arguments); the body holds the error.</summary>
    Fault = 1,

    /// <summary>The worker process running the chunk died; the silo replaced it. Not retried, as on one machine.</summary>
    WorkerCrashed = 2,

    /// <summary>The silo is stopping and did not (or could not) finish the chunk; the client runs it elsewhere.</summary>
    SiloStopping = 3,

    /// <summary>The silo could not run the chunk at all (e.g. its workers can't start); <see cref="ClusterChunkReply.ErrorType"/> and <see cref="ClusterChunkReply.Message"/> say why.</summary>
    Error = 4,
}
