using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
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
    /// <summary>
    /// How deeply values of self-referencing types (trees, linked nodes) may nest. Generated codecs
    /// count levels so that a hostile payload can't exhaust the stack, and a cyclic object graph fails
    /// clearly on the sending side instead of recursing forever.
    /// </summary>
    public const int MaxNestingDepth = 1000;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _depth;
    private string? _reading;

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

    /// <summary>
    /// Generated codecs call this when they start reading a value of <paramref name="typeName"/>, so that
    /// errors name the type being read; pass the returned value to <see cref="ExitType"/> when done.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public string? EnterType(string typeName)
    {
        string? outer = _reading;
        _reading = typeName;
        return outer;
    }

    /// <summary>Ends what <see cref="EnterType"/> started: errors name the enclosing type again.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitType(string? outer) => _reading = outer;

    /// <summary>Counts one more level of a self-referencing type; throws past <see cref="MaxNestingDepth"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void EnterNested(string typeName)
    {
        if (++_depth > MaxNestingDepth)
        {
            throw Error($"{typeName} values nest deeper than {MaxNestingDepth} levels at offset {_position}: the payload is corrupt or hostile");
        }
    }

    /// <summary>Ends a level counted by <see cref="EnterNested"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitNested() => _depth--;

    /// <summary>Reads the presence byte of a reference-type value: 0 is <see langword="null"/>, 1 is a value; anything else is corrupt.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadPresence(string typeName)
    {
        if ((uint)_position >= (uint)_data.Length)
        {
            ThrowTruncated(typeName, 1);
        }

        byte marker = Unsafe.Add(ref MemoryMarshal.GetReference(_data), _position++);
        if (marker > 1)
        {
            ThrowCorruptPresence(typeName, marker);
        }

        return marker == 1;
    }

    /// <summary>Reads the discriminator byte of a polymorphic value (0 is <see langword="null"/>), naming the declared type if the payload ends.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadTag(string typeName)
    {
        if ((uint)_position >= (uint)_data.Length)
        {
            ThrowTruncated(typeName, 1);
        }

        return Unsafe.Add(ref MemoryMarshal.GetReference(_data), _position++);
    }

    /// <summary>
    /// Consumes <paramref name="count"/> bytes and returns a reference to the first, for generated codecs that read a
    /// record's fixed-size members as one block (one check of what remains instead of one per member). Read only.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte ReadBlock(int count, string typeName)
    {
        if (_data.Length - _position < count)
        {
            ThrowTruncated(typeName, count);
        }

        ref byte start = ref Unsafe.Add(ref MemoryMarshal.GetReference(_data), _position);
        _position += count;
        return ref start;
    }

    /// <summary>An exception saying <paramref name="message"/> and naming the type generated code is reading.</summary>
    public readonly WireFormatException Error(string message) =>
        new(_reading is null ? message + "." : $"{message} (reading {_reading}).");

    /// <summary>Reads one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if ((uint)_position >= (uint)_data.Length)
        {
            ThrowTruncated("Byte", 1);
        }

        return Unsafe.Add(ref MemoryMarshal.GetReference(_data), _position++);
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
            ThrowTruncated<T>();
        }

        // Checked just above: no second bounds check.
        T value = Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref MemoryMarshal.GetReference(_data), _position));
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
            throw Error($"Corrupt length {length} for {what} at offset {_position - 4}");
        }

        if (minElementSize > 0 && (long)length * minElementSize > Remaining)
        {
            throw Error(
                $"Length {length:N0} for {what} at offset {_position - 4} needs at least {(long)length * minElementSize:N0} bytes but only {Remaining:N0} remain: the payload is truncated or corrupt");
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

        // Most strings are ASCII: checking that and widening (ASCII bytes are the same chars in Latin-1) is
        // several times faster than strict UTF-8 decoding, and gives the same string.
        if (Ascii.IsValid(bytes))
        {
            return Encoding.Latin1.GetString(bytes);
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new WireFormatException(Error($"String at offset {_position - length} is not valid UTF-8").Message, e);
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

    // Throw helpers keep error messages out of the hot paths, so the JIT inlines the reads.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTruncated(string what, int needed) => throw Truncated(what, needed);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTruncated<T>() => throw Truncated(typeof(T).Name, Unsafe.SizeOf<T>());

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowCorruptPresence(string typeName, byte marker) =>
        throw Error($"Corrupt {typeName}: presence byte {marker} at offset {_position - 1} is neither 0 (null) nor 1");

    private readonly WireFormatException Truncated(string what, int needed) =>
        Error($"Payload ends early: reading {what} needed {needed:N0} bytes at offset {_position:N0} but only {Remaining:N0} remain");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
