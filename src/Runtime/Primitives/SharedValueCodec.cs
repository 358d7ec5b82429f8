using System.Runtime.CompilerServices;
using ParallelGen.Serialization;
using ParallelGen.SharedMemory;

namespace ParallelGen;

/// <summary>Carries a <see cref="SharedValue{T}"/> as a handle: the name of its memory and the value's size. The receiver maps the same memory.</summary>
public readonly struct SharedValueCodec<T> : IWireCodec<SharedValue<T>>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, SharedValue<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteString(null);
            return;
        }

        writer.WriteString(value.Block.Path);
        writer.WriteInt32(Unsafe.SizeOf<T>());
    }

    /// <inheritdoc/>
    public static SharedValue<T> Read(ref WireReader reader)
    {
        string? path = reader.ReadString();
        if (path is null)
        {
            return null!;
        }

        int size = reader.ReadInt32();
        if (size != Unsafe.SizeOf<T>())
        {
            throw new WireFormatException($"A SharedValue<{typeof(T).Name}> handle describes a {size}-byte value, but {typeof(T).Name} takes {Unsafe.SizeOf<T>()}: the sender and receiver disagree on the type.");
        }

        return new SharedValue<T>(SharedMemoryBlock.Attach(path, SharedMemoryKind.Value, size, 1));
    }
}
