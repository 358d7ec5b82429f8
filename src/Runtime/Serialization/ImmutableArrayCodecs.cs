using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace ParallelGen.Serialization;

/// <summary>Carries an <see cref="ImmutableArray{T}"/> element by element; a default (uninitialized) one stays default.</summary>
public readonly struct ImmutableArrayCodec<T, TCodec> : IWireCodec<ImmutableArray<T>>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ImmutableArray<T> value) => ArrayCodec<T, TCodec>.Write(writer, ImmutableCollectionsMarshal.AsArray(value));

    /// <inheritdoc/>
    public static ImmutableArray<T> Read(ref WireReader reader) => ImmutableCollectionsMarshal.AsImmutableArray(ArrayCodec<T, TCodec>.Read(ref reader));

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries an <see cref="ImmutableArray{T}"/> of unmanaged values in one bulk copy.</summary>
public readonly struct UnmanagedImmutableArrayCodec<T> : IWireCodec<ImmutableArray<T>>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ImmutableArray<T> value) => UnmanagedArrayCodec<T>.Write(writer, ImmutableCollectionsMarshal.AsArray(value));

    /// <inheritdoc/>
    public static ImmutableArray<T> Read(ref WireReader reader) => ImmutableCollectionsMarshal.AsImmutableArray(UnmanagedArrayCodec<T>.Read(ref reader));

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}
