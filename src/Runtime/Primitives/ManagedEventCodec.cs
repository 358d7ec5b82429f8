using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedEvent"/> as a handle: which manager holds the event and its id there.</summary>
public readonly struct ManagedEventCodec : IWireCodec<ManagedEvent>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedEvent value) => BrokerHandle.WriteNullable(writer, value?.Handle);

    /// <inheritdoc/>
    public static ManagedEvent Read(ref WireReader reader) => BrokerHandle.ReadNullable(ref reader) is { } handle ? new ManagedEvent(handle) : null!;
}
