using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ParallelGen.Serialization;

/// <summary>
/// The wire form of multi-dimensional arrays: each dimension's length (the first is -1 for
/// <see langword="null"/>), then the elements in row-major order. Lower bounds must be zero.
/// </summary>
internal static class MultiDimensionalArrays
{
    /// <summary>All elements of <paramref name="array"/> in row-major order, as one span.</summary>
    public static Span<T> Elements<T>(Array array) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    /// <summary>Writes the lengths; returns <see langword="false"/> (after writing the null marker) for <see langword="null"/>.</summary>
    public static bool WriteShape(WireWriter writer, Array? array)
    {
        if (array is null)
        {
            writer.WriteLength(-1);
            return false;
        }

        for (int d = 0; d < array.Rank; d++)
        {
            if (array.GetLowerBound(d) != 0)
            {
                throw new InvalidOperationException($"A {array.GetType().Name} with lower bound {array.GetLowerBound(d)} in dimension {d} can't be sent: only zero-based arrays are carried.");
            }

            writer.WriteLength(array.GetLength(d));
        }

        return true;
    }

    /// <summary>
    /// Reads <paramref name="lengths"/>.Length lengths; returns <see langword="false"/> for <see langword="null"/>.
    /// Throws unless the element count, at <paramref name="minElementSize"/> bytes each, fits in what remains.
    /// </summary>
    public static bool ReadShape(ref WireReader reader, scoped Span<int> lengths, int minElementSize, string what)
    {
        long total = 1;
        for (int d = 0; d < lengths.Length; d++)
        {
            int length = reader.ReadLength(0, what);
            if (length < 0)
            {
                if (d == 0)
                {
                    return false;
                }

                throw reader.Error($"Corrupt {what}: length -1 for dimension {d} at offset {reader.Position - 4}");
            }

            lengths[d] = length;

            // Saturate so the product can't overflow; a later zero length still makes an empty array.
            total = Math.Min(total * length, (long)int.MaxValue + 1);
        }

        if (total * minElementSize > reader.Remaining)
        {
            throw reader.Error($"{what} of {total:N0} elements needs at least {total * minElementSize:N0} bytes but only {reader.Remaining:N0} remain: the payload is truncated or corrupt");
        }

        return true;
    }

    public static void WriteElements<T, TCodec>(WireWriter writer, Array array)
        where TCodec : IWireCodec<T>
    {
        foreach (T item in Elements<T>(array))
        {
            TCodec.Write(writer, item);
        }
    }

    public static void ReadElements<T, TCodec>(ref WireReader reader, Array array)
        where TCodec : IWireCodec<T>
    {
        Span<T> items = Elements<T>(array);
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = TCodec.Read(ref reader);
        }
    }
}

/// <summary>Carries a rank-2 array (<c>T[,]</c>) element by element.</summary>
public readonly struct Array2DCodec<T, TCodec> : IWireCodec<T[,]?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, T[,]? value)
    {
        if (MultiDimensionalArrays.WriteShape(writer, value))
        {
            MultiDimensionalArrays.WriteElements<T, TCodec>(writer, value!);
        }
    }

    /// <inheritdoc/>
    public static T[,]? Read(ref WireReader reader)
    {
        Span<int> n = stackalloc int[2];
        if (!MultiDimensionalArrays.ReadShape(ref reader, n, WireSize.Element<T, TCodec>(), WireNames<T>.Array2D))
        {
            return null;
        }

        var result = new T[n[0], n[1]];
        MultiDimensionalArrays.ReadElements<T, TCodec>(ref reader, result);
        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a rank-2 array (<c>T[,]</c>) of unmanaged values in one bulk copy.</summary>
public readonly struct UnmanagedArray2DCodec<T> : IWireCodec<T[,]?>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, T[,]? value)
    {
        if (MultiDimensionalArrays.WriteShape(writer, value))
        {
            writer.WriteUnmanagedSpan<T>(MultiDimensionalArrays.Elements<T>(value!));
        }
    }

    /// <inheritdoc/>
    public static T[,]? Read(ref WireReader reader)
    {
        Span<int> n = stackalloc int[2];
        if (!MultiDimensionalArrays.ReadShape(ref reader, n, Unsafe.SizeOf<T>(), WireNames<T>.Array2D))
        {
            return null;
        }

        var result = new T[n[0], n[1]];
        reader.ReadUnmanagedSpan(MultiDimensionalArrays.Elements<T>(result), WireNames<T>.Array2D);
        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a rank-3 array (<c>T[,,]</c>) element by element.</summary>
public readonly struct Array3DCodec<T, TCodec> : IWireCodec<T[,,]?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, T[,,]? value)
    {
        if (MultiDimensionalArrays.WriteShape(writer, value))
        {
            MultiDimensionalArrays.WriteElements<T, TCodec>(writer, value!);
        }
    }

    /// <inheritdoc/>
    public static T[,,]? Read(ref WireReader reader)
    {
        Span<int> n = stackalloc int[3];
        if (!MultiDimensionalArrays.ReadShape(ref reader, n, WireSize.Element<T, TCodec>(), WireNames<T>.Array3D))
        {
            return null;
        }

        var result = new T[n[0], n[1], n[2]];
        MultiDimensionalArrays.ReadElements<T, TCodec>(ref reader, result);
        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a rank-3 array (<c>T[,,]</c>) of unmanaged values in one bulk copy.</summary>
public readonly struct UnmanagedArray3DCodec<T> : IWireCodec<T[,,]?>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, T[,,]? value)
    {
        if (MultiDimensionalArrays.WriteShape(writer, value))
        {
            writer.WriteUnmanagedSpan<T>(MultiDimensionalArrays.Elements<T>(value!));
        }
    }

    /// <inheritdoc/>
    public static T[,,]? Read(ref WireReader reader)
    {
        Span<int> n = stackalloc int[3];
        if (!MultiDimensionalArrays.ReadShape(ref reader, n, Unsafe.SizeOf<T>(), WireNames<T>.Array3D))
        {
            return null;
        }

        var result = new T[n[0], n[1], n[2]];
        reader.ReadUnmanagedSpan(MultiDimensionalArrays.Elements<T>(result), WireNames<T>.Array3D);
        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a rank-4 array (<c>T[,,,]</c>) element by element.</summary>
public readonly struct Array4DCodec<T, TCodec> : IWireCodec<T[,,,]?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, T[,,,]? value)
    {
        if (MultiDimensionalArrays.WriteShape(writer, value))
        {
            MultiDimensionalArrays.WriteElements<T, TCodec>(writer, value!);
        }
    }

    /// <inheritdoc/>
    public static T[,,,]? Read(ref WireReader reader)
    {
        Span<int> n = stackalloc int[4];
        if (!MultiDimensionalArrays.ReadShape(ref reader, n, WireSize.Element<T, TCodec>(), WireNames<T>.Array4D))
        {
            return null;
        }

        var result = new T[n[0], n[1], n[2], n[3]];
        MultiDimensionalArrays.ReadElements<T, TCodec>(ref reader, result);
        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a rank-4 array (<c>T[,,,]</c>) of unmanaged values in one bulk copy.</summary>
public readonly struct UnmanagedArray4DCodec<T> : IWireCodec<T[,,,]?>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, T[,,,]? value)
    {
        if (MultiDimensionalArrays.WriteShape(writer, value))
        {
            writer.WriteUnmanagedSpan<T>(MultiDimensionalArrays.Elements<T>(value!));
        }
    }

    /// <inheritdoc/>
    public static T[,,,]? Read(ref WireReader reader)
    {
        Span<int> n = stackalloc int[4];
        if (!MultiDimensionalArrays.ReadShape(ref reader, n, Unsafe.SizeOf<T>(), WireNames<T>.Array4D))
        {
            return null;
        }

        var result = new T[n[0], n[1], n[2], n[3]];
        reader.ReadUnmanagedSpan(MultiDimensionalArrays.Elements<T>(result), WireNames<T>.Array4D);
        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}
