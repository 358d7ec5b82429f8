using System.ComponentModel;
using Orleans;

namespace ParallelGen.Cluster;

/// <summary>
/// A silo's answer for a <see cref="ClusterChunk"/>: the reply bytes a worker process would have sent, and
/// who ran the chunk. Part of the wire contract between <see cref="ClusterPool"/> and the silos; not meant
/// for application code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[GenerateSerializer, Immutable, Alias("ParallelGen.Cluster.ClusterChunkReply")]
public sealed class ClusterChunkReply
{
    /// <summary>What became of the chunk.</summary>
    [Id(0)]
    public ClusterChunkStatus Status { get; init; }

    /// <summary>For <see cref="ClusterChunkStatus.Results"/> and <see cref="ClusterChunkStatus.Fault"/>: the reply body, byte for byte what a worker process sends.</summary>
    [Id(1)]
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>For the other statuses: what happened, in words.</summary>
    [Id(2)]
    public string? Message { get; init; }

    /// <summary>For <see cref="ClusterChunkStatus.Error"/>: the full name of the exception type on the silo.</summary>
    [Id(3)]
    public string? ErrorType { get; init; }

    /// <summary>The process that ran the chunk: a worker process of the silo, or the silo itself in in-process mode.</summary>
    [Id(4)]
    public int WorkerProcessId { get; init; }

    /// <summary>For <see cref="ClusterChunkStatus.WorkerCrashed"/>: the worker's exit code, when known.</summary>
    [Id(5)]
    public int? ExitCode { get; init; }

    /// <summary>The silo that ran the chunk (its Orleans address).</summary>
    [Id(6)]
    public string Silo { get; init; } = "";

    /// <summary>How many chunks that silo runs at once, so clients learn the cluster's capacity as replies come in.</summary>
    [Id(7)]
    public int SiloConcurrency { get; init; }
}
