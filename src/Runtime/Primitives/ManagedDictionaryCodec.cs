using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedDictionary{TKey, TValue}"/> as a handle: which manager holds it and its id there.</summary>
public readonly struct ManagedDictionaryCodec<TKey, TValue> : IWireCodec<ManagedDictionary<TKey, TValue>>
    where TKey : notnull
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedDictionary<TKey, TValue> value) => BrokerHandle.WriteNullable(writer, value?.Handle);

    /// <inheritdoc/>
    public static ManagedDictionary<TKey, TValue> Read(ref WireReader reader) => BrokerHandle.ReadNullable(ref reader) is { } handle ? new ManagedDictionary<TKey, TValue>(handle) : null!;
}
