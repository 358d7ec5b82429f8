using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ParallelGen.Serialization;

/// <summary>
/// Whether a codec writes each value as its raw bytes and nothing else (<see cref="UnmanagedCodec{T}"/> of a primitive), so
/// a run of values is one copy each way instead of a codec call per item. A Map of a million ints spent most of the
/// caller's time serializing and decoding them one by one. Every check is a comparison of types the JIT folds away for
/// the struct codecs it applies to: no reflection.
/// </summary>
internal static class RawCodec
{
    // PARALLELGEN_BULK_CODEC=0 turns the bulk copies off (item by item as before), for A/B runs. Read once: the JIT folds it.
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("PARALLELGEN_BULK_CODEC") != "0";

    /// <summary>True when <typeparamref name="TCodec"/> carries <typeparamref name="T"/> as its raw bytes (and bulk copies are on).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Is<T, TCodec>() => Enabled && IsRaw<T, TCodec>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsRaw<T, TCodec>()
        => (typeof(T) == typeof(int) && typeof(TCodec) == typeof(UnmanagedCodec<int>))
        || (typeof(T) == typeof(long) && typeof(TCodec) == typeof(UnmanagedCodec<long>))
        || (typeof(T) == typeof(double) && typeof(TCodec) == typeof(UnmanagedCodec<double>))
        || (typeof(T) == typeof(float) && typeof(TCodec) == typeof(UnmanagedCodec<float>))
        || (typeof(T) == typeof(uint) && typeof(TCodec) == typeof(UnmanagedCodec<uint>))
        || (typeof(T) == typeof(ulong) && typeof(TCodec) == typeof(UnmanagedCodec<ulong>))
        || (typeof(T) == typeof(short) && typeof(TCodec) == typeof(UnmanagedCodec<short>))
        || (typeof(T) == typeof(ushort) && typeof(TCodec) == typeof(UnmanagedCodec<ushort>))
        || (typeof(T) == typeof(byte) && typeof(TCodec) == typeof(UnmanagedCodec<byte>))
        || (typeof(T) == typeof(sbyte) && typeof(TCodec) == typeof(UnmanagedCodec<sbyte>))
        || (typeof(T) == typeof(char) && typeof(TCodec) == typeof(UnmanagedCodec<char>));

    /// <summary>The bytes of <paramref name="values"/>, for a <typeparamref name="T"/> that <see cref="Is{T, TCodec}"/> said is raw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> AsBytes<T>(ReadOnlySpan<T> values)
        => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(values)), values.Length * Unsafe.SizeOf<T>());

    /// <summary>The bytes of <paramref name="values"/>, writable, for a <typeparamref name="T"/> that <see cref="Is{T, TCodec}"/> said is raw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<byte> AsBytes<T>(Span<T> values)
        => MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(values)), values.Length * Unsafe.SizeOf<T>());
}
