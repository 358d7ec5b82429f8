using System.Runtime.InteropServices;

namespace ParallelGen.Serialization;

/// <summary>Carries an array element by element (length prefix, -1 for <see langword="null"/>).</summary>
public readonly struct ArrayCodec<T, TCodec> : IWireCodec<T[]?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, T[]? value)
    {
        if (value is null)
        {
            writer.WriteLength(-1);
            return;
        }

        writer.WriteLength(value.Length);
        foreach (T item in value)
        {
            TCodec.Write(writer, item);
        }
    }

    /// <inheritdoc/>
    public static T[]? Read(ref WireReader reader)
    {
        // Each element takes at least MinWireSize bytes, so the length can't claim more than the payload holds.
        int length = reader.ReadLength(WireSize.Element<T, TCodec>(), "array");
        if (length < 0)
        {
            return null;
        }

        var result = new T[length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = TCodec.Read(ref reader);
        }

        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries an array of unmanaged values (e.g. <c>byte[]</c>, <c>double[]</c>) in one bulk copy.</summary>
public readonly struct UnmanagedArrayCodec<T> : IWireCodec<T[]?>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, T[]? value)
    {
        if (value is null)
        {
            writer.WriteLength(-1);
            return;
        }

        writer.WriteLength(value.Length);
        writer.WriteUnmanagedSpan<T>(value);
    }

    /// <inheritdoc/>
    public static T[]? Read(ref WireReader reader)
    {
        int length = reader.ReadLength(System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), WireNames<T>.Array);
        if (length < 0)
        {
            return null;
        }

        T[] result = GC.AllocateUninitializedArray<T>(length);
        reader.ReadUnmanagedSpan<T>(result, WireNames<T>.Array);
        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a <see cref="List{T}"/> element by element.</summary>
public readonly struct ListCodec<T, TCodec> : IWireCodec<List<T>?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, List<T>? value)
    {
        if (value is null)
        {
            writer.WriteLength(-1);
            return;
        }

        writer.WriteLength(value.Count);
        foreach (T item in CollectionsMarshal.AsSpan(value))
        {
            TCodec.Write(writer, item);
        }
    }

    /// <inheritdoc/>
    public static List<T>? Read(ref WireReader reader)
    {
        int length = reader.ReadLength(WireSize.Element<T, TCodec>(), "List");
        if (length < 0)
        {
            return null;
        }

        var result = new List<T>(length);
        for (int i = 0; i < length; i++)
        {
            result.Add(TCodec.Read(ref reader));
        }

        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a <see cref="List{T}"/> of unmanaged values in one bulk copy.</summary>
public readonly struct UnmanagedListCodec<T> : IWireCodec<List<T>?>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, List<T>? value)
    {
        if (value is null)
        {
            writer.WriteLength(-1);
            return;
        }

        writer.WriteLength(value.Count);
        writer.WriteUnmanagedSpan<T>(CollectionsMarshal.AsSpan(value));
    }

    /// <inheritdoc/>
    public static List<T>? Read(ref WireReader reader)
    {
        int length = reader.ReadLength(System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), WireNames<T>.List);
        if (length < 0)
        {
            return null;
        }

        var result = new List<T>(length);
        CollectionsMarshal.SetCount(result, length);
        reader.ReadUnmanagedSpan(CollectionsMarshal.AsSpan(result), WireNames<T>.List);
        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}
