using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Managers;

/// <summary>
/// The wire shape of several serialized items in one message (snapshots, the other set of a set
/// operation): a count, then each item's length and bytes.
/// </summary>
internal static class ItemList
{
    public static void Write(WireWriter writer, IReadOnlyCollection<byte[]> items)
    {
        writer.WriteLength(items.Count);
        foreach (byte[] item in items)
        {
            writer.WriteLength(item.Length);
            writer.WriteUnmanagedSpan<byte>(item);
        }
    }

    public static byte[] ToBytes(IReadOnlyCollection<byte[]> items)
    {
        using var writer = new WireWriter();
        Write(writer, items);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Serializes <paramref name="items"/> with <typeparamref name="T"/>'s codec, after <paramref name="prefix"/>.</summary>
    public static byte[] Encode<T>(IEnumerable<T> items, byte prefix)
    {
        ArgumentNullException.ThrowIfNull(items);
        List<byte[]> encoded = [.. items.Select(WireCodec<T>.ToBytes)];
        using var writer = new WireWriter();
        writer.WriteByte(prefix);
        Write(writer, encoded);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Reads raw items (broker side).</summary>
    public static List<byte[]> Read(ref WireReader reader, string what)
    {
        int count = reader.ReadLength(4, what);
        var items = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            items.Add(reader.ReadBytes(reader.ReadLength(0, what), what).ToArray());
        }

        return items;
    }

    /// <summary>Reads and deserializes a whole message of items (caller side).</summary>
    public static List<T> Decode<T>(ReadOnlySpan<byte> payload, string what)
    {
        var reader = new WireReader(payload);
        int count = reader.ReadLength(4, what);
        var items = new List<T>(count);
        for (int i = 0; i < count; i++)
        {
            items.Add(WireCodec<T>.FromBytes(reader.ReadBytes(reader.ReadLength(0, what), what)));
        }

        reader.EnsureConsumed(what);
        return items;
    }
}
