using System.Buffers;
using System.Runtime.InteropServices;
using ParallelGen.Serialization;

namespace ParallelGen.FrontEnd;

/// <summary>
/// Part of the caller's array of raw values (<see cref="RawCodec"/>) seen as the bytes of a chunk's arguments: those bytes are
/// exactly what the codec would have written, so the chunk goes from the array to the transport without first being copied
/// into a buffer of its own (for a Map of a million ints, one of the caller's four copies of the data). The array is the
/// caller's: like the lazily serialized chunks of any other input, a chunk carries what the array holds when it is sent.
/// </summary>
internal sealed class RawArrayMemory<T> : MemoryManager<byte>
{
    private readonly T[] _array;
    private readonly int _start;
    private readonly int _count;

    public RawArrayMemory(T[] array, int start, int count)
    {
        _array = array;
        _start = start;
        _count = count;
    }

    public override Span<byte> GetSpan() => RawCodec.AsBytes(_array.AsSpan(_start, _count));

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        GCHandle handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
        byte* first = (byte*)handle.AddrOfPinnedObject() + ((long)_start * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        return new MemoryHandle(first + elementIndex, handle, this);
    }

    public override void Unpin()
    {
        // The GCHandle travels in the MemoryHandle, which frees it itself.
    }

    protected override void Dispose(bool disposing)
    {
    }
}
