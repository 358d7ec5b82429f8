using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ParallelGen.Serialization;

/// <summary>
/// A growable little-endian byte buffer that codecs append to. Buffers come from
/// <see cref="ArrayPool{T}.Shared"/>; <see cref="Dispose"/> returns them.
/// </summary>
public sealed class WireWriter : IDisposable
{
    private byte[] _buffer;
    private int _position;
    private int _depth;

    /// <summary>Creates a writer with at least <paramref name="initialCapacity"/> bytes of room.</summary>
    public WireWriter(int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));
    }

    /// <summary>Bytes written so far. Setting it rewinds (never past what was written).</summary>
    public int Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, _position);
            _position = value;
        }
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    /// <summary>The bytes written so far, writable, for patching headers in place.</summary>
    internal Span<byte> WrittenBuffer => _buffer.AsSpan(0, _position);

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Reset() => _position = 0;

    /// <summary>Hands the underlying pooled buffer to the caller, who must return it to <see cref="ArrayPool{T}.Shared"/>; the writer starts over with a new one.</summary>
    public byte[] DetachBuffer(out int length)
    {
        byte[] buffer = _buffer;
        length = _position;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length, 256));
        _position = 0;
        return buffer;
    }

    /// <summary>Returns a span of at least <paramref name="sizeHint"/> bytes to write into; call <see cref="Advance"/> after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - _position < sizeHint)
        {
            Grow(sizeHint);
        }

        return _buffer.AsSpan(_position);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the last <see cref="GetSpan"/> as written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count) => _position += count;

    /// <summary>Reserves four bytes to be filled later with <see cref="PatchInt32"/>; returns their offset.</summary>
    public int ReserveInt32()
    {
        int at = _position;
        WriteInt32(0);
        return at;
    }

    /// <summary>Overwrites four bytes reserved with <see cref="ReserveInt32"/>.</summary>
    public void PatchInt32(int offset, int value) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(offset, 4), value);

    /// <summary>
    /// Counts one more level of a self-referencing type being written; past <see cref="WireReader.MaxNestingDepth"/>
    /// the object graph is too deep for the receiver, or has a cycle, which a copy can't reproduce.
    /// Generated codecs pair it with <see cref="ExitNested"/> in a <see langword="finally"/>.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void EnterNested(string typeName)
    {
        if (++_depth > WireReader.MaxNestingDepth)
        {
            _depth--;
            throw new InvalidOperationException(
                $"{typeName} values nest deeper than {WireReader.MaxNestingDepth} levels: the object graph has a cycle (or is too deep to send). " +
                "Each process gets its own copy of what it is sent, so references back into the graph can't cross; send the data as a tree, or ids that refer to a list.");
        }
    }

    /// <summary>Ends a level counted by <see cref="EnterNested"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitNested() => _depth--;

    /// <summary>
    /// Reserves <paramref name="count"/> bytes and returns a reference to the first: generated codecs write a record's
    /// fixed-size members into one block this way, with one capacity check instead of one per member.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte Reserve(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Grow(count);
        }

        ref byte start = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position);
        _position += count;
        return ref start;
    }

    /// <summary>Writes one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (_position == _buffer.Length)
        {
            Grow(1);
        }

        // In range: checked just above.
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position++) = value;
    }

    /// <summary>Writes a 32-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt32(int value) => WriteUnmanaged(value);

    /// <summary>Writes a 64-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt64(long value) => WriteUnmanaged(value);

    /// <summary>Writes the raw little-endian bytes of an unmanaged value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T>(T value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (_buffer.Length - _position < size)
        {
            Grow(size);
        }

        // In range: checked just above.
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position), value);
        _position += size;
    }

    /// <summary>Writes a span of unmanaged values in one copy (no length prefix).</summary>
    public void WriteUnmanagedSpan<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        bytes.CopyTo(GetSpan(bytes.Length));
        _position += bytes.Length;
    }

    /// <summary>Writes a length prefix: -1 for <see langword="null"/>, else the count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteLength(int length) => WriteInt32(length);

    /// <summary>Writes a string as a UTF-8 byte count (-1 for <see langword="null"/>) and its bytes.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> span = GetSpan(max + 4);

        // ASCII (most strings) narrows about twice as fast as general UTF-8 encoding; from the first non-ASCII
        // char on, Utf8.FromUtf16 does what Encoding.UTF8 does (unpaired surrogates become U+FFFD). Same bytes either way.
        Span<byte> destination = span[4..];
        if (Ascii.FromUtf16(value, destination, out int written) != OperationStatus.Done)
        {
            System.Text.Unicode.Utf8.FromUtf16(value.AsSpan(written), destination[written..], out _, out int rest);
            written += rest;
        }

        BinaryPrimitives.WriteInt32LittleEndian(span, written);
        _position += written + 4;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _position = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Grow(int sizeHint)
    {
        long wanted = Math.Max((long)_buffer.Length * 2, (long)_position + sizeHint);
        if (wanted > Array.MaxLength)
        {
            wanted = (long)_position + sizeHint;
            if (wanted > Array.MaxLength)
            {
                throw new InvalidOperationException($"A single message can't exceed {Array.MaxLength:N0} bytes; send big data through SharedArray<T> instead.");
            }
        }

        byte[] bigger = ArrayPool<byte>.Shared.Rent((int)wanted);
        _buffer.AsSpan(0, _position).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
