using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ProcessEvent"/> as a handle: the name of its shared memory. The receiver maps the same memory, so both use one event.</summary>
public readonly struct ProcessEventCodec : IWireCodec<ProcessEvent>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ProcessEvent value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(value?.Memory.Path);
    }

    /// <inheritdoc/>
    public static ProcessEvent Read(ref WireReader reader)
    {
        string? path = reader.ReadString();
        return path is null ? null! : new ProcessEvent(SyncMemory.Attach(path, SharedMemoryKind.Event, nameof(ProcessEvent)));
    }
}
