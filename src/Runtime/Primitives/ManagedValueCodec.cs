using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedValue{T}"/> as a handle: which manager holds the value and its id there.</summary>
public readonly struct ManagedValueCodec<T> : IWireCodec<ManagedValue<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedValue<T> value) => BrokerHandle.WriteNullable(writer, value?.Handle);

    /// <inheritdoc/>
    public static ManagedValue<T> Read(ref WireReader reader) => BrokerHandle.ReadNullable(ref reader) is { } handle ? new ManagedValue<T>(handle) : null!;
}
