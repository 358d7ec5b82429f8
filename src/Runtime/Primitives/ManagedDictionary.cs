using System.Collections;
using System.Diagnostics.CodeAnalysis;
using ParallelGen.Brokering.Client;
using ParallelGen.Brokering.Managers;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A proxy to a dictionary held by a <see cref="Manager"/> (Python's <c>manager.dict()</c>): every
/// process that has it sees the same entries. Pass it to <see cref="WorkerAttribute"/> methods; it
/// travels as a handle.
/// <code>
/// ManagedDictionary&lt;int, int&gt; returns = manager.Dictionary&lt;int, int&gt;();
/// // in each worker: returns[procnum] = procnum * procnum;
/// </code>
/// </summary>
/// <remarks>
/// Implements <see cref="IDictionary{TKey, TValue}"/> and <see cref="IReadOnlyDictionary{TKey, TValue}"/>. Each
/// member is one round trip to the manager (<see cref="Add"/> and <see cref="TryAdd"/> check and add in the same
/// one, so two processes can't both add a key). Enumeration, <see cref="Keys"/>, <see cref="Values"/> and
/// <see cref="ToDictionary"/> work on a snapshot taken in one round trip; later changes don't show in it. Keys are
/// compared by their serialized bytes (for the usual key types, numbers, strings, enums, Guid, tuples of them,
/// that is plain equality). Values are copies: <c>d[k] += 1</c> reads and writes in two round trips, so guard it
/// with a <see cref="ManagedLock"/> when several processes update the same key.
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
[WireCodec(typeof(ManagedDictionaryCodec<,>))]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Python's manager.dict(): an IDictionary whose members are round trips to the manager.")]
public sealed class ManagedDictionary<TKey, TValue> : IDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
{
    internal ManagedDictionary(BrokerHandle handle)
    {
        Handle = handle;
    }

    /// <summary>The number of entries (Python's <c>len()</c>).</summary>
    public int Count => Handle.Invoke(BrokerOp.DictionaryCount).ReadInt32();

    /// <summary>A read-only snapshot of the keys, in one round trip (Python's <c>keys()</c>).</summary>
    public ICollection<TKey> Keys => ItemList.Decode<TKey>(Handle.Invoke(BrokerOp.DictionaryKeys).ThrowIfError().Payload, "the shared dictionary keys").AsReadOnly();

    /// <summary>A read-only snapshot of the values, in one round trip (Python's <c>values()</c>).</summary>
    public ICollection<TValue> Values => ToDictionary().Values.ToList().AsReadOnly();

    IEnumerable<TKey> IReadOnlyDictionary<TKey, TValue>.Keys => Keys;

    IEnumerable<TValue> IReadOnlyDictionary<TKey, TValue>.Values => Values;

    bool ICollection<KeyValuePair<TKey, TValue>>.IsReadOnly => false;

    internal BrokerHandle Handle { get; }

    /// <summary>Reads or sets the value of <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">Reading a key that is not there.</exception>
    /// <exception cref="IOException">The manager is gone.</exception>
    public TValue this[TKey key]
    {
        get => TryGetValue(key, out TValue? value) ? value : throw new KeyNotFoundException($"The key '{key}' is not in the shared dictionary.");
        set => Handle.Invoke(BrokerOp.DictionarySet, Entry(key, value)).ThrowIfError();
    }

    /// <summary>Adds <paramref name="key"/> if it is not there yet (checked and added in one round trip, so only one process wins).</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is already there.</exception>
    public void Add(TKey key, TValue value)
    {
        if (!TryAdd(key, value))
        {
            throw new ArgumentException($"The key '{key}' is already in the shared dictionary.", nameof(key));
        }
    }

    /// <summary>Adds <paramref name="key"/> unless it is there; <see langword="false"/> if it was (Python's <c>setdefault</c>, without the read).</summary>
    public bool TryAdd(TKey key, TValue value) => Handle.Invoke(BrokerOp.DictionaryTryAdd, Entry(key, value)).ReadBoolean();

    void ICollection<KeyValuePair<TKey, TValue>>.Add(KeyValuePair<TKey, TValue> item) => Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<TKey, TValue>>.Contains(KeyValuePair<TKey, TValue> item) =>
        TryGetValue(item.Key, out TValue? value) && EqualityComparer<TValue>.Default.Equals(value, item.Value);

    /// <summary>Removes the entry only while <paramref name="item"/>'s key still maps to its value (compared by serialized bytes), in one round trip.</summary>
    bool ICollection<KeyValuePair<TKey, TValue>>.Remove(KeyValuePair<TKey, TValue> item) =>
        Handle.Invoke(BrokerOp.DictionaryRemoveEntry, Entry(item.Key, item.Value)).ReadBoolean();

    /// <summary>Copies a snapshot of the entries into <paramref name="array"/> from <paramref name="arrayIndex"/>.</summary>
    public void CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex) => ((ICollection<KeyValuePair<TKey, TValue>>)ToDictionary()).CopyTo(array, arrayIndex);

    /// <summary>Gets the value of <paramref name="key"/> if it is there.</summary>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        BrokerResult result = Handle.Invoke(BrokerOp.DictionaryGet, WireCodec<TKey>.ToBytes(key)).ThrowIfError();
        if (!result.IsOk)
        {
            value = default;
            return false;
        }

        value = WireCodec<TValue>.FromBytes(result.Payload);
        return true;
    }

    /// <summary>Whether <paramref name="key"/> is there.</summary>
    public bool ContainsKey(TKey key) => Handle.Invoke(BrokerOp.DictionaryContainsKey, WireCodec<TKey>.ToBytes(key)).ReadBoolean();

    /// <summary>Removes <paramref name="key"/>; <see langword="false"/> if it was not there.</summary>
    public bool Remove(TKey key) => Handle.Invoke(BrokerOp.DictionaryRemove, WireCodec<TKey>.ToBytes(key)).ReadBoolean();

    /// <summary>Removes every entry.</summary>
    public void Clear() => Handle.Invoke(BrokerOp.DictionaryClear).ThrowIfError();

    /// <summary>A copy of every entry, in one round trip (Python's <c>dict(d)</c>).</summary>
    public Dictionary<TKey, TValue> ToDictionary()
    {
        byte[] snapshot = Handle.Invoke(BrokerOp.DictionarySnapshot).ThrowIfError().Payload;
        var reader = new WireReader(snapshot);
        int count = reader.ReadLength(8, "shared dictionary snapshot");
        var entries = new Dictionary<TKey, TValue>(Math.Max(count, 0));
        for (int i = 0; i < count; i++)
        {
            TKey key = WireCodec<TKey>.FromBytes(reader.ReadBytes(reader.ReadLength(0, "key"), "key"));
            entries[key] = WireCodec<TValue>.FromBytes(reader.ReadBytes(reader.ReadLength(0, "value"), "value"));
        }

        reader.EnsureConsumed("the shared dictionary snapshot");
        return entries;
    }

    /// <summary>Enumerates a snapshot of the entries taken now.</summary>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => ToDictionary().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"ManagedDictionary<{typeof(TKey).Name}, {typeof(TValue).Name}> #{Handle.Id} held by {Handle.HostDescription}";

    /// <summary>The key's length and bytes, then the value's: the operands of set, add and remove-entry.</summary>
    private static byte[] Entry(TKey key, TValue value)
    {
        byte[] keyBytes = WireCodec<TKey>.ToBytes(key);
        using var writer = new WireWriter(keyBytes.Length + 64);
        writer.WriteLength(keyBytes.Length);
        writer.WriteUnmanagedSpan<byte>(keyBytes);
        WireCodec<TValue>.Instance.Write(writer, value);
        return writer.WrittenSpan.ToArray();
    }
}
