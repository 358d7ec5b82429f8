using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedSet{T}"/> as a handle: which manager holds the set and its id there.</summary>
public readonly struct ManagedSetCodec<T> : IWireCodec<ManagedSet<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedSet<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static ManagedSet<T> Read(ref WireReader reader) => reader.ReadByte() == 0 ? null! : new ManagedSet<T>(BrokerHandle.Read(ref reader));
}
