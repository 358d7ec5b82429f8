using System.Runtime.CompilerServices;
using ParallelGen.Serialization;
using ParallelGen.SharedMemory;

namespace ParallelGen;

/// <summary>Carries a <see cref="SharedArray{T}"/> as a handle: the name of its memory, its length and element size. The receiver maps the same memory.</summary>
public readonly struct SharedArrayCodec<T> : IWireCodec<SharedArray<T>>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, SharedArray<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteString(null);
            return;
        }

        SharedMemoryBlock block = value.Block;
        writer.WriteString(block.Path);
        writer.WriteInt32(value.Length);
        writer.WriteInt32(Unsafe.SizeOf<T>());
    }

    /// <inheritdoc/>
    public static SharedArray<T> Read(ref WireReader reader)
    {
        string? path = reader.ReadString();
        if (path is null)
        {
            return null!;
        }

        int length = reader.ReadInt32();
        int elementSize = reader.ReadInt32();
        if (length < 0 || elementSize != Unsafe.SizeOf<T>())
        {
            throw new WireFormatException($"A SharedArray<{typeof(T).Name}> handle describes {length} elements of {elementSize} bytes, but {typeof(T).Name} takes {Unsafe.SizeOf<T>()}: the sender and receiver disagree on the element type.");
        }

        return new SharedArray<T>(SharedMemoryBlock.Attach(path, SharedMemoryKind.Array, elementSize, length));
    }
}
