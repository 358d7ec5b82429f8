namespace ParallelGen.Serialization;

/// <summary>Carries a <see cref="Memory{T}"/> of unmanaged values in one bulk copy; the receiver gets a new array.</summary>
public readonly struct MemoryCodec<T> : IWireCodec<Memory<T>>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, Memory<T> value) => ReadOnlyMemoryCodec<T>.Write(writer, value);

    /// <inheritdoc/>
    public static Memory<T> Read(ref WireReader reader) => MemoryMarshalHelpers.ReadArray<T>(ref reader, "Memory");

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a <see cref="ReadOnlyMemory{T}"/> of unmanaged values in one bulk copy; the receiver gets a new array.</summary>
public readonly struct ReadOnlyMemoryCodec<T> : IWireCodec<ReadOnlyMemory<T>>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ReadOnlyMemory<T> value)
    {
        writer.WriteLength(value.Length);
        writer.WriteUnmanagedSpan(value.Span);
    }

    /// <inheritdoc/>
    public static ReadOnlyMemory<T> Read(ref WireReader reader) => MemoryMarshalHelpers.ReadArray<T>(ref reader, "ReadOnlyMemory");

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

internal static class MemoryMarshalHelpers
{
    /// <summary>A length and that many values; memory has no null, so -1 is corrupt.</summary>
    public static T[] ReadArray<T>(ref WireReader reader, string what)
        where T : unmanaged
    {
        int length = reader.ReadLength(System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), what);
        if (length < 0)
        {
            throw reader.Error($"Corrupt {what}: length -1 at offset {reader.Position - 4} (memory is never null)");
        }

        T[] result = GC.AllocateUninitializedArray<T>(length);
        reader.ReadUnmanagedSpan<T>(result, what);
        return result;
    }
}
