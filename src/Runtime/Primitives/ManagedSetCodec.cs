using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedSet{T}"/> as a handle: which manager holds the set and its id there.</summary>
public readonly struct ManagedSetCodec<T> : IWireCodec<ManagedSet<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedSet<T> value) => BrokerHandle.WriteNullable(writer, value?.Handle);

    /// <inheritdoc/>
    public static ManagedSet<T> Read(ref WireReader reader) => BrokerHandle.ReadNullable(ref reader) is { } handle ? new ManagedSet<T>(handle) : null!;
}
