using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ProcessQueue{T}"/> as a handle: where the queue is hosted and its id there. The receiver uses the same queue.</summary>
public readonly struct ProcessQueueCodec<T> : IWireCodec<ProcessQueue<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ProcessQueue<T> value) => BrokerHandle.WriteNullable(writer, value?.Handle);

    /// <inheritdoc/>
    public static ProcessQueue<T> Read(ref WireReader reader) =>
        BrokerHandle.ReadNullable(ref reader) is { } handle ? new ProcessQueue<T>(handle, owner: false) : null!;
}
