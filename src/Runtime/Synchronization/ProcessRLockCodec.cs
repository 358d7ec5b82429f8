using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ProcessRLock"/> as a handle: the name of its shared memory. The receiver maps the same memory, so both use one lock.</summary>
public readonly struct ProcessRLockCodec : IWireCodec<ProcessRLock>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ProcessRLock value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(value?.Memory.Path);
    }

    /// <inheritdoc/>
    public static ProcessRLock Read(ref WireReader reader)
    {
        string? path = reader.ReadString();
        return path is null ? null! : new ProcessRLock(SyncMemory.Attach(path, SharedMemoryKind.RLock, nameof(ProcessRLock)));
    }
}
