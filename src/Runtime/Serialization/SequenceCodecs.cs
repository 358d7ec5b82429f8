namespace ParallelGen.Serialization;

/// <summary>
/// The wire form shared by every sequence: a length (-1 for <see langword="null"/>) and the elements.
/// Interfaces are written from whatever implements them (enumerated once, so a lazy sequence is
/// materialized by the sender) and read back as an array, or as a <see cref="List{T}"/> where the
/// interface allows adding.
/// </summary>
internal static class Sequences
{
    public static void Write<T, TCodec>(WireWriter writer, IEnumerable<T>? value)
        where TCodec : IWireCodec<T>
    {
        switch (value)
        {
            case null:
                writer.WriteLength(-1);
                return;
            case T[] array:
                writer.WriteLength(array.Length);
                foreach (T item in array)
                {
                    TCodec.Write(writer, item);
                }

                return;
            case List<T> list:
                writer.WriteLength(list.Count);
                foreach (T item in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list))
                {
                    TCodec.Write(writer, item);
                }

                return;
        }

        // Any other sequence: count while writing, then fill in the length.
        int slot = writer.ReserveInt32();
        int count = 0;
        foreach (T item in value)
        {
            TCodec.Write(writer, item);
            count++;
        }

        writer.PatchInt32(slot, count);
    }

    public static T[]? ReadArray<T, TCodec>(ref WireReader reader, string what)
        where TCodec : IWireCodec<T>
    {
        // Every element takes at least MinWireSize bytes on the wire, so the length can't claim more than the payload holds.
        int length = reader.ReadLength(WireSize.Element<T, TCodec>(), what);
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

    public static List<T>? ReadList<T, TCodec>(ref WireReader reader, string what)
        where TCodec : IWireCodec<T>
    {
        int length = reader.ReadLength(WireSize.Element<T, TCodec>(), what);
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
}

/// <summary>Carries an <see cref="IEnumerable{T}"/>: enumerated once by the sender, read back as an array.</summary>
public readonly struct EnumerableCodec<T, TCodec> : IWireCodec<IEnumerable<T>?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, IEnumerable<T>? value) => Sequences.Write<T, TCodec>(writer, value);

    /// <inheritdoc/>
    public static IEnumerable<T>? Read(ref WireReader reader) => Sequences.ReadArray<T, TCodec>(ref reader, "IEnumerable");

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries an <see cref="IReadOnlyList{T}"/>, read back as an array.</summary>
public readonly struct ReadOnlyListCodec<T, TCodec> : IWireCodec<IReadOnlyList<T>?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, IReadOnlyList<T>? value) => Sequences.Write<T, TCodec>(writer, value);

    /// <inheritdoc/>
    public static IReadOnlyList<T>? Read(ref WireReader reader) => Sequences.ReadArray<T, TCodec>(ref reader, "IReadOnlyList");

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries an <see cref="IReadOnlyCollection{T}"/>, read back as an array.</summary>
public readonly struct ReadOnlyCollectionCodec<T, TCodec> : IWireCodec<IReadOnlyCollection<T>?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, IReadOnlyCollection<T>? value) => Sequences.Write<T, TCodec>(writer, value);

    /// <inheritdoc/>
    public static IReadOnlyCollection<T>? Read(ref WireReader reader) => Sequences.ReadArray<T, TCodec>(ref reader, "IReadOnlyCollection");

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries an <see cref="IList{T}"/>, read back as a <see cref="List{T}"/> (an array would refuse <c>Add</c>).</summary>
public readonly struct ListInterfaceCodec<T, TCodec> : IWireCodec<IList<T>?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, IList<T>? value) => Sequences.Write<T, TCodec>(writer, value);

    /// <inheritdoc/>
    public static IList<T>? Read(ref WireReader reader) => Sequences.ReadList<T, TCodec>(ref reader, "IList");

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries an <see cref="ICollection{T}"/>, read back as a <see cref="List{T}"/>.</summary>
public readonly struct CollectionInterfaceCodec<T, TCodec> : IWireCodec<ICollection<T>?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ICollection<T>? value) => Sequences.Write<T, TCodec>(writer, value);

    /// <inheritdoc/>
    public static ICollection<T>? Read(ref WireReader reader) => Sequences.ReadList<T, TCodec>(ref reader, "ICollection");

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}
