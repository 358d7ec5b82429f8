using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedArray{T}"/> as a handle: which manager holds the array and its id there.</summary>
public readonly struct ManagedArrayCodec<T> : IWireCodec<ManagedArray<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedArray<T> value) => BrokerHandle.WriteNullable(writer, value?.Handle);

    /// <inheritdoc/>
    public static ManagedArray<T> Read(ref WireReader reader) => BrokerHandle.ReadNullable(ref reader) is { } handle ? new ManagedArray<T>(handle) : null!;
}
