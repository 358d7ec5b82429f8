using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ParallelGen.Serialization;

/// <summary>
/// Reads what a <see cref="WireWriter"/> wrote. Trusts nothing: every read checks the bytes that
/// remain, every length is checked against them before anything is allocated, and a failure
/// throws <see cref="WireFormatException"/> naming what was being read and where.
/// </summary>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Creates a reader over <paramref name="data"/>.</summary>
    public WireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Reads one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Truncated("Byte", 1);
        }

        return _data[_position++];
    }

    /// <summary>Reads a 32-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt32() => ReadUnmanaged<int>();

    /// <summary>Reads a 64-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64() => ReadUnmanaged<long>();

    /// <summary>Reads the raw bytes of an unmanaged value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadUnmanaged<T>()
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (_data.Length - _position < size)
        {
            throw Truncated(typeof(T).Name, size);
        }

        T value = Unsafe.ReadUnaligned<T>(ref Unsafe.AsRef(in _data[_position]));
        _position += size;
        return value;
    }

    /// <summary>
    /// Reads a length prefix: -1 means <see langword="null"/>. Any other negative value, or a count
    /// whose elements (at least <paramref name="minElementSize"/> bytes each) can't fit in what remains, throws.
    /// </summary>
    public int ReadLength(int minElementSize, string what)
    {
        int length = ReadInt32();
        if (length == -1)
        {
            return -1;
        }

        if (length < 0)
        {
            throw new WireFormatException($"Corrupt length {length} for {what} at offset {_position - 4}.");
        }

        if (minElementSize > 0 && (long)length * minElementSize > Remaining)
        {
            throw new WireFormatException(
                $"Length {length:N0} for {what} at offset {_position - 4} needs at least {(long)length * minElementSize:N0} bytes but only {Remaining:N0} remain: the payload is truncated or corrupt.");
        }

        return length;
    }

    /// <summary>Reads <paramref name="count"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count, string what)
    {
        if (count < 0 || Remaining < count)
        {
            throw Truncated(what, count);
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>Copies <paramref name="destination"/>.Length unmanaged values in one go.</summary>
    public void ReadUnmanagedSpan<T>(scoped Span<T> destination, string what)
        where T : unmanaged
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        ReadBytes(bytes.Length, what).CopyTo(bytes);
    }

    /// <summary>Reads a string written by <see cref="WireWriter.WriteString"/>.</summary>
    public string? ReadString()
    {
        int length = ReadLength(1, "String");
        if (length < 0)
        {
            return null;
        }

        ReadOnlySpan<byte> bytes = ReadBytes(length, "String");
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new WireFormatException($"String at offset {_position - length} is not valid UTF-8.", e);
        }
    }

    /// <summary>Throws unless every byte was consumed: trailing bytes mean writer and reader disagree.</summary>
    public readonly void EnsureConsumed(string what)
    {
        if (Remaining != 0)
        {
            throw new WireFormatException($"{Remaining:N0} unexpected bytes after {what}: the sender and receiver disagree on the format (mismatched builds?).");
        }
    }

    private readonly WireFormatException Truncated(string what, int needed) =>
        new($"Payload ends early: reading {what} needed {needed:N0} bytes at offset {_position:N0} but only {Remaining:N0} remain.");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
