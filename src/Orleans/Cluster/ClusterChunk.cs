using System.ComponentModel;
using Orleans;

namespace ParallelGen.Cluster;

/// <summary>
/// A chunk of work as it travels to a silo: which worker to run (its generated id), how many calls, and their
/// arguments as the generated serializers wrote them. Part of the wire contract between <see cref="ClusterPool"/>
/// and the silos' workers; not meant for application code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[GenerateSerializer, Immutable, Alias("ParallelGen.Cluster.ClusterChunk")]
public sealed class ClusterChunk
{
    /// <summary>The worker's stable id (a hash of its full signature), the same in every build of the same method.</summary>
    [Id(0)]
    public ulong WorkerId { get; init; }

    /// <summary>The worker's display name, for messages.</summary>
    [Id(1)]
    public string WorkerName { get; init; } = "";

    /// <summary>How many calls <see cref="Arguments"/> holds.</summary>
    [Id(2)]
    public int ItemCount { get; init; }

    /// <summary>The serialized arguments, item after item.</summary>
    [Id(3)]
    public ReadOnlyMemory<byte> Arguments { get; init; }

    /// <summary>The caller's W3C <c>traceparent</c>, or <see langword="null"/>: the silo's workers join the caller's trace.</summary>
    [Id(4)]
    public string? TraceParent { get; init; }
}
