using ParallelGen.Brokering.Client;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ManagedLock"/> as a handle: which manager holds the lock and its id there.</summary>
public readonly struct ManagedLockCodec : IWireCodec<ManagedLock>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ManagedLock value) => BrokerHandle.WriteNullable(writer, value?.Handle);

    /// <inheritdoc/>
    public static ManagedLock Read(ref WireReader reader) => BrokerHandle.ReadNullable(ref reader) is { } handle ? new ManagedLock(handle) : null!;
}
