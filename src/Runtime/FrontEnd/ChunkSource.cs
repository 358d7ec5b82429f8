using ParallelGen.Serialization;

namespace ParallelGen.FrontEnd;

/// <summary>
/// The items of a call, serialized chunk by chunk. An array is read as a span: a Map of a million tiny items spent most
/// of the caller's time in the enumerator's two interface calls per item and the async iterator's hoisted locals around
/// them. Any other sequence goes through its enumerator, lazily, as before.
/// </summary>
internal sealed class ChunkSource<TArg> : IDisposable
{
    private readonly TArg[]? _array;
    private readonly IEnumerator<TArg>? _enumerator;
    private int _next;

    public ChunkSource(IEnumerable<TArg> items)
    {
        if (items is TArg[] array)
        {
            _array = array;
        }
        else
        {
            _enumerator = items.GetEnumerator();
        }
    }

    /// <summary>
    /// Writes up to <paramref name="size"/> items with <typeparamref name="TCodec"/>, stopping early (<paramref name="full"/>)
    /// once the chunk reaches <paramref name="maxChunkBytes"/>. Returns how many it took; fewer than asked (and not full) means
    /// the items ran out. Exceptions of the sequence or the codec pass through.
    /// </summary>
    public int Write<TCodec>(WireWriter writer, int size, int maxChunkBytes, out bool full)
        where TCodec : IWireCodec<TArg>
    {
        if (_array is null)
        {
            return WriteEnumerated<TCodec>(_enumerator!, writer, size, maxChunkBytes, out full);
        }

        // A read-only span: an array seen through a covariant reference (a string[] as object[]) can't be a writable span.
        var items = new ReadOnlySpan<TArg>(_array, _next, Math.Min(size, _array.Length - _next));
        int taken = WriteSpan<TCodec>(items, writer, maxChunkBytes, out full);
        _next += taken;
        return taken;
    }

    /// <summary>
    /// For an array of raw values (<see cref="RawCodec"/>): the next chunk as the array's own bytes instead of a copy, taking
    /// the items <see cref="Write"/> would take into an empty writer. <see langword="false"/> for any other input or codec.
    /// </summary>
    public bool TryTakeRaw<TCodec>(int size, int maxChunkBytes, out ReadOnlyMemory<byte> arguments, out int taken, out bool full)
        where TCodec : IWireCodec<TArg>
    {
        if (_array is null || !RawCodec.Is<TArg, TCodec>())
        {
            arguments = default;
            taken = 0;
            full = false;
            return false;
        }

        int itemSize = System.Runtime.CompilerServices.Unsafe.SizeOf<TArg>();
        int untilFull = maxChunkBytes <= 0 ? 1 : (int)(((long)maxChunkBytes + itemSize - 1) / itemSize);
        taken = Math.Min(Math.Min(size, _array.Length - _next), untilFull);
        full = taken == untilFull;
        arguments = taken == 0 ? default : new RawArrayMemory<TArg>(_array, _next, taken).Memory;
        _next += taken;
        return true;
    }

    public void Dispose() => _enumerator?.Dispose();

    private static int WriteSpan<TCodec>(ReadOnlySpan<TArg> items, WireWriter writer, int maxChunkBytes, out bool full)
        where TCodec : IWireCodec<TArg>
    {
        if (RawCodec.Is<TArg, TCodec>())
        {
            return CopySpan(items, writer, maxChunkBytes, out full);
        }

        for (int i = 0; i < items.Length; i++)
        {
            TCodec.Write(writer, items[i]);

            // A chunk is one message: keep it within what the executor's transport carries.
            if (writer.Position >= maxChunkBytes)
            {
                full = true;
                return i + 1;
            }
        }

        full = false;
        return items.Length;
    }

    /// <summary>
    /// <see cref="WriteSpan"/> for items whose codec writes their raw bytes: the same items in one copy, stopping where the
    /// item by item loop would (after the item that takes the chunk to <paramref name="maxChunkBytes"/> or past it).
    /// </summary>
    private static int CopySpan(ReadOnlySpan<TArg> items, WireWriter writer, int maxChunkBytes, out bool full)
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<TArg>();
        int room = maxChunkBytes - writer.Position;
        int untilFull = room <= 0 ? 1 : (int)(((long)room + size - 1) / size);
        int taken = Math.Min(items.Length, untilFull);
        full = taken == untilFull;
        writer.WriteUnmanagedSpan(RawCodec.AsBytes(items[..taken]));
        return taken;
    }

    private static int WriteEnumerated<TCodec>(IEnumerator<TArg> source, WireWriter writer, int size, int maxChunkBytes, out bool full)
        where TCodec : IWireCodec<TArg>
    {
        int taken = 0;
        while (taken < size && source.MoveNext())
        {
            TCodec.Write(writer, source.Current);
            taken++;
            if (writer.Position >= maxChunkBytes)
            {
                full = true;
                return taken;
            }
        }

        full = false;
        return taken;
    }
}
