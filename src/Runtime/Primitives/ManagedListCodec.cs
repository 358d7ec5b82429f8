using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedList{T}"/> as a handle: which manager holds the list and its id there.</summary>
public readonly struct ManagedListCodec<T> : IWireCodec<ManagedList<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedList<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static ManagedList<T> Read(ref WireReader reader) => reader.ReadByte() == 0 ? null! : new ManagedList<T>(BrokerHandle.Read(ref reader));
}
