using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedDictionary{TKey, TValue}"/> as a handle: which manager holds it and its id there.</summary>
public readonly struct ManagedDictionaryCodec<TKey, TValue> : IWireCodec<ManagedDictionary<TKey, TValue>>
    where TKey : notnull
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedDictionary<TKey, TValue> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static ManagedDictionary<TKey, TValue> Read(ref WireReader reader) => reader.ReadByte() == 0 ? null! : new ManagedDictionary<TKey, TValue>(BrokerHandle.Read(ref reader));
}
