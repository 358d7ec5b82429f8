using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedValue{T}"/> as a handle: which manager holds the value and its id there.</summary>
public readonly struct ManagedValueCodec<T> : IWireCodec<ManagedValue<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedValue<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static ManagedValue<T> Read(ref WireReader reader) => reader.ReadByte() == 0 ? null! : new ManagedValue<T>(BrokerHandle.Read(ref reader));
}
