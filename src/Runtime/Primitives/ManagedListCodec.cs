using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedList{T}"/> as a handle: which manager holds the list and its id there.</summary>
public readonly struct ManagedListCodec<T> : IWireCodec<ManagedList<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedList<T> value) => BrokerHandle.WriteNullable(writer, value?.Handle);

    /// <inheritdoc/>
    public static ManagedList<T> Read(ref WireReader reader) => BrokerHandle.ReadNullable(ref reader) is { } handle ? new ManagedList<T>(handle) : null!;
}
