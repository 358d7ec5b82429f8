using System.Buffers.Binary;
using System.Collections;
using ParallelGen.Brokering;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A proxy to a list held by a <see cref="Manager"/> (Python's <c>manager.list()</c>): every process
/// that has it sees the same list. Pass it to <see cref="WorkerAttribute"/> methods; it travels as a handle.
/// <code>
/// SharedList&lt;string&gt; records = manager.List&lt;string&gt;();
/// records.Add("from the parent");
/// foreach (string record in records) Console.WriteLine(record);   // a snapshot
/// </code>
/// </summary>
/// <remarks>
/// Each member is one round trip to the manager; enumeration works on a snapshot taken when it starts.
/// Items are copies: changing an item you read does not change the list; set it back with the indexer.
/// </remarks>
/// <typeparam name="T">The item type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
[WireCodec(typeof(SharedListCodec<>))]
public sealed class SharedList<T> : IEnumerable<T>
{
    internal SharedList(BrokerHandle handle)
    {
        Handle = handle;
    }

    /// <summary>The number of items (Python's <c>len()</c>).</summary>
    public int Count => Handle.Invoke(BrokerOp.ListCount).ReadInt32();

    internal BrokerHandle Handle { get; }

    /// <summary>Reads or replaces the item at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the list.</exception>
    /// <exception cref="IOException">The manager is gone.</exception>
    public T this[int index]
    {
        get => WireCodec<T>.FromBytes(Handle.Invoke(BrokerOp.ListGet, Index(index)).ThrowIfError().Payload);
        set => Handle.Invoke(BrokerOp.ListSet, Index(index, WireCodec<T>.ToBytes(value))).ThrowIfError();
    }

    /// <summary>Appends <paramref name="item"/> (Python's <c>append()</c>).</summary>
    public void Add(T item) => Handle.Invoke(BrokerOp.ListAdd, WireCodec<T>.ToBytes(item)).ThrowIfError();

    /// <summary>Inserts <paramref name="item"/> at <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, T item) => Handle.Invoke(BrokerOp.ListInsert, Index(index, WireCodec<T>.ToBytes(item))).ThrowIfError();

    /// <summary>Removes the item at <paramref name="index"/>.</summary>
    public void RemoveAt(int index) => Handle.Invoke(BrokerOp.ListRemoveAt, Index(index)).ThrowIfError();

    /// <summary>Removes every item.</summary>
    public void Clear() => Handle.Invoke(BrokerOp.ListClear).ThrowIfError();

    /// <summary>A copy of the whole list, in one round trip (Python's <c>list(records)</c>).</summary>
    public List<T> ToList()
    {
        byte[] snapshot = Handle.Invoke(BrokerOp.ListSnapshot).ThrowIfError().Payload;
        var reader = new WireReader(snapshot);
        int count = reader.ReadLength(4, "shared list snapshot");
        var items = new List<T>(Math.Max(count, 0));
        for (int i = 0; i < count; i++)
        {
            int length = reader.ReadLength(0, "shared list item");
            items.Add(WireCodec<T>.FromBytes(reader.ReadBytes(length, "shared list item")));
        }

        reader.EnsureConsumed("the shared list snapshot");
        return items;
    }

    /// <summary>Enumerates a snapshot of the list taken now.</summary>
    public IEnumerator<T> GetEnumerator() => ToList().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"SharedList<{typeof(T).Name}> #{Handle.Id} held by {Handle.HostDescription}";

    private static byte[] Index(int index, byte[]? item = null)
    {
        byte[] operands = new byte[4 + (item?.Length ?? 0)];
        BinaryPrimitives.WriteInt32LittleEndian(operands, index);
        item?.CopyTo(operands, 4);
        return operands;
    }
}

/// <summary>Carries a <see cref="SharedList{T}"/> as a handle: which manager holds the list and its id there.</summary>
public readonly struct SharedListCodec<T> : IWireCodec<SharedList<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, SharedList<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static SharedList<T> Read(ref WireReader reader) => reader.ReadByte() == 0 ? null! : new SharedList<T>(BrokerHandle.Read(ref reader));
}
