using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedArray{T}"/> as a handle: which manager holds the array and its id there.</summary>
public readonly struct ManagedArrayCodec<T> : IWireCodec<ManagedArray<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedArray<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static ManagedArray<T> Read(ref WireReader reader) => reader.ReadByte() == 0 ? null! : new ManagedArray<T>(BrokerHandle.Read(ref reader));
}
