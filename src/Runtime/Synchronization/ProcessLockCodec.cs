using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ProcessLock"/> as a handle: the name of its shared memory. The receiver maps the same memory, so both use one lock.</summary>
public readonly struct ProcessLockCodec : IWireCodec<ProcessLock>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ProcessLock value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(value?.Memory.Path);
    }

    /// <inheritdoc/>
    public static ProcessLock Read(ref WireReader reader)
    {
        string? path = reader.ReadString();
        return path is null ? null! : new ProcessLock(SyncMemory.Attach(path, SharedMemoryKind.Lock, nameof(ProcessLock)));
    }
}
