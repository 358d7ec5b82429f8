using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>Carries a <see cref="ProcessBarrier"/> as a handle: the name of its shared memory. The receiver maps the same memory, so both use one barrier.</summary>
public readonly struct ProcessBarrierCodec : IWireCodec<ProcessBarrier>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ProcessBarrier value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(value?.Memory.Path);
    }

    /// <inheritdoc/>
    public static ProcessBarrier Read(ref WireReader reader)
    {
        string? path = reader.ReadString();
        return path is null ? null! : new ProcessBarrier(SyncMemory.Attach(path, SharedMemoryKind.Barrier, nameof(ProcessBarrier)));
    }
}
