using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedEvent"/> as a handle: which manager holds the event and its id there.</summary>
public readonly struct ManagedEventCodec : IWireCodec<ManagedEvent>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedEvent value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static ManagedEvent Read(ref WireReader reader) => reader.ReadByte() == 0 ? null! : new ManagedEvent(BrokerHandle.Read(ref reader));
}
