using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ProcessSemaphore"/> as a handle: the name of its shared memory. The receiver maps the same memory, so both use one semaphore.</summary>
public readonly struct ProcessSemaphoreCodec : IWireCodec<ProcessSemaphore>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ProcessSemaphore value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(value?.Memory.Path);
    }

    /// <inheritdoc/>
    public static ProcessSemaphore Read(ref WireReader reader)
    {
        string? path = reader.ReadString();
        return path is null ? null! : new ProcessSemaphore(SyncMemory.Attach(path, SharedMemoryKind.Semaphore, nameof(ProcessSemaphore)));
    }
}
