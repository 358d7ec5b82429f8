using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="JoinableProcessQueue{T}"/> as a handle; the receiver uses the same queue and its unfinished count.</summary>
public readonly struct JoinableProcessQueueCodec<T> : IWireCodec<JoinableProcessQueue<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, JoinableProcessQueue<T> value) => ProcessQueueCodec<T>.Write(writer, value);

    /// <inheritdoc/>
    public static JoinableProcessQueue<T> Read(ref WireReader reader) =>
        BrokerHandle.ReadNullable(ref reader) is { } handle ? new JoinableProcessQueue<T>(handle, owner: false) : null!;
}
