using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedLock"/> as a handle: which manager holds the lock and its id there.</summary>
public readonly struct ManagedLockCodec : IWireCodec<ManagedLock>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedLock value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static ManagedLock Read(ref WireReader reader) => reader.ReadByte() == 0 ? null! : new ManagedLock(BrokerHandle.Read(ref reader));
}
