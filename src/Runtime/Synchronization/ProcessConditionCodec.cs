using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>
/// Carries a <see cref="ProcessCondition"/> as a handle: the name of its shared memory, then its lock's kind and
/// name. The receiver maps both, so every process waits and notifies on the same condition under the same lock.
/// </summary>
public readonly struct ProcessConditionCodec : IWireCodec<ProcessCondition>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ProcessCondition value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteString(null);
            return;
        }

        writer.WriteString(value.Memory.Path);
        writer.WriteInt32((int)value.ConditionLock.Kind);
        writer.WriteString(value.ConditionLock.Memory.Path);
    }

    /// <inheritdoc/>
    public static ProcessCondition Read(ref WireReader reader)
    {
        string? path = reader.ReadString();
        if (path is null)
        {
            return null!;
        }

        var kind = (SharedMemoryKind)reader.ReadInt32();
        string lockPath = reader.ReadString() ?? throw new WireFormatException("A ProcessCondition handle has no lock: the handle is corrupt.");
        IConditionLock conditionLock = kind switch
        {
            SharedMemoryKind.Lock => new ProcessLock(SyncMemory.Attach(lockPath, kind, nameof(ProcessLock))),
            SharedMemoryKind.RLock => new ProcessRLock(SyncMemory.Attach(lockPath, kind, nameof(ProcessRLock))),
            _ => throw new WireFormatException($"A ProcessCondition handle names a lock of kind {(int)kind}, which is neither a ProcessLock nor a ProcessRLock: the handle is corrupt."),
        };

        try
        {
            return new ProcessCondition(SyncMemory.Attach(path, SharedMemoryKind.Condition, nameof(ProcessCondition)), conditionLock, ownsLock: true);
        }
        catch
        {
            conditionLock.Dispose();
            throw;
        }
    }
}
