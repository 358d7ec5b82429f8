using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ProcessQueue{T}"/> as a handle: where the queue is hosted and its id there. The receiver uses the same queue.</summary>
public readonly struct ProcessQueueCodec<T> : IWireCodec<ProcessQueue<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ProcessQueue<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static ProcessQueue<T> Read(ref WireReader reader) =>
        reader.ReadByte() == 0 ? null! : new ProcessQueue<T>(BrokerHandle.Read(ref reader), owner: false);
}
