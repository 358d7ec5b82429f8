using System.ComponentModel;

namespace ParallelGen.Serialization;

/// <summary>Reads <see cref="IWireCodec{T}.MinWireSize"/> of a codec (a static virtual member, reachable only through a type parameter).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WireSize
{
    /// <summary>The fewest bytes a value of <typeparamref name="T"/> takes when <typeparamref name="TCodec"/> writes it.</summary>
    public static int Of<T, TCodec>()
        where TCodec : IWireCodec<T> => TCodec.MinWireSize;

    /// <summary>What a collection assumes per element when it checks a count: at least one byte, so no count is unbounded.</summary>
    internal static int Element<T, TCodec>()
        where TCodec : IWireCodec<T> => Math.Max(1, TCodec.MinWireSize);
}
