using System.Collections;
using ParallelGen.Brokering.Client;
using ParallelGen.Brokering.Managers;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A proxy to a list held by a <see cref="Manager"/> (Python's <c>manager.list()</c>): every process
/// that has it sees the same list. Pass it to <see cref="WorkerAttribute"/> methods; it travels as a handle.
/// <code>
/// ManagedList&lt;string&gt; records = manager.List&lt;string&gt;();
/// records.Add("from the parent");
/// foreach (string record in records) Console.WriteLine(record);   // a snapshot
/// </code>
/// </summary>
/// <remarks>
/// Implements <see cref="IList{T}"/> and <see cref="IReadOnlyList{T}"/>. Each member is one round trip to the
/// manager (so <c>list[i] += 1</c> is two, and another process may act in between: guard such updates with a
/// <see cref="ManagedLock"/>). Enumeration, <see cref="CopyTo"/> and <see cref="ToList"/> work on a snapshot taken in
/// one round trip when they start; later changes don't show in it, and changing the list while enumerating is fine.
/// Items are copies: changing an item you read does not change the list; set it back with the indexer.
/// <see cref="IndexOf"/>, <see cref="Contains"/> and <see cref="Remove"/> compare items by their serialized bytes
/// (for numbers, strings, enums, tuples and records of them, that is plain equality).
/// </remarks>
/// <typeparam name="T">The item type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
[WireCodec(typeof(ManagedListCodec<>))]
public sealed class ManagedList<T> : IList<T>, IReadOnlyList<T>
{
    internal ManagedList(BrokerHandle handle)
    {
        Handle = handle;
    }

    /// <summary>The number of items (Python's <c>len()</c>).</summary>
    public int Count => Handle.Invoke(BrokerOp.ListCount).ReadInt32();

    internal BrokerHandle Handle { get; }

    bool ICollection<T>.IsReadOnly => false;

    /// <summary>Reads or replaces the item at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the list.</exception>
    /// <exception cref="IOException">The manager is gone.</exception>
    public T this[int index]
    {
        get => WireCodec<T>.FromBytes(Handle.Invoke(BrokerOp.ListGet, IndexOperands.Write(index)).ThrowIfError().Payload);
        set => Handle.Invoke(BrokerOp.ListSet, IndexOperands.Write(index, WireCodec<T>.ToBytes(value))).ThrowIfError();
    }

    /// <summary>Appends <paramref name="item"/> (Python's <c>append()</c>).</summary>
    public void Add(T item) => Handle.Invoke(BrokerOp.ListAdd, WireCodec<T>.ToBytes(item)).ThrowIfError();

    /// <summary>Inserts <paramref name="item"/> at <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, T item) => Handle.Invoke(BrokerOp.ListInsert, IndexOperands.Write(index, WireCodec<T>.ToBytes(item))).ThrowIfError();

    /// <summary>Removes the item at <paramref name="index"/>.</summary>
    public void RemoveAt(int index) => Handle.Invoke(BrokerOp.ListRemoveAt, IndexOperands.Write(index)).ThrowIfError();

    /// <summary>The index of the first item equal to <paramref name="item"/> (by serialized bytes), or -1 (Python's <c>index()</c>, without the exception).</summary>
    public int IndexOf(T item) => Handle.Invoke(BrokerOp.ListIndexOf, WireCodec<T>.ToBytes(item)).ReadInt32();

    /// <summary>Whether an item equal to <paramref name="item"/> (by serialized bytes) is in the list (Python's <c>in</c>).</summary>
    public bool Contains(T item) => IndexOf(item) >= 0;

    /// <summary>Removes the first item equal to <paramref name="item"/> (by serialized bytes), in one round trip; <see langword="false"/> if there was none.</summary>
    public bool Remove(T item) => Handle.Invoke(BrokerOp.ListRemove, WireCodec<T>.ToBytes(item)).ReadBoolean();

    /// <summary>Copies a snapshot of the list into <paramref name="array"/> from <paramref name="arrayIndex"/>.</summary>
    public void CopyTo(T[] array, int arrayIndex) => ToList().CopyTo(array, arrayIndex);

    /// <summary>Removes every item.</summary>
    public void Clear() => Handle.Invoke(BrokerOp.ListClear).ThrowIfError();

    /// <summary>A copy of the whole list, in one round trip (Python's <c>list(records)</c>).</summary>
    public List<T> ToList() => ItemList.Decode<T>(Handle.Invoke(BrokerOp.ListSnapshot).ThrowIfError().Payload, "the shared list snapshot");

    /// <summary>Enumerates a snapshot of the list taken now.</summary>
    public IEnumerator<T> GetEnumerator() => ToList().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"ManagedList<{typeof(T).Name}> #{Handle.Id} held by {Handle.HostDescription}";
}
