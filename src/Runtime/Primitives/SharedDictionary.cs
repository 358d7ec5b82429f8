using System.Collections;
using System.Diagnostics.CodeAnalysis;
using ParallelGen.Brokering;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A proxy to a dictionary held by a <see cref="Manager"/> (Python's <c>manager.dict()</c>): every
/// process that has it sees the same entries. Pass it to <see cref="WorkerAttribute"/> methods; it
/// travels as a handle.
/// <code>
/// SharedDictionary&lt;int, int&gt; returns = manager.Dictionary&lt;int, int&gt;();
/// // in each worker: returns[procnum] = procnum * procnum;
/// </code>
/// </summary>
/// <remarks>
/// Each member is one round trip to the manager; enumeration works on a snapshot. Keys are compared by
/// their serialized bytes (for the usual key types, numbers, strings, enums, Guid, tuples of them, that
/// is plain equality). Values are copies.
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
[WireCodec(typeof(SharedDictionaryCodec<,>))]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Python's manager.dict(): a dictionary in all but the IDictionary interface (each member is a round trip).")]
public sealed class SharedDictionary<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    internal SharedDictionary(BrokerHandle handle)
    {
        Handle = handle;
    }

    /// <summary>The number of entries (Python's <c>len()</c>).</summary>
    public int Count => Handle.Invoke(BrokerOp.DictionaryCount).ReadInt32();

    /// <summary>A snapshot of the keys (Python's <c>keys()</c>).</summary>
    public ICollection<TKey> Keys
    {
        get
        {
            byte[] snapshot = Handle.Invoke(BrokerOp.DictionaryKeys).ThrowIfError().Payload;
            var reader = new WireReader(snapshot);
            int count = reader.ReadLength(4, "shared dictionary keys");
            var keys = new List<TKey>(Math.Max(count, 0));
            for (int i = 0; i < count; i++)
            {
                keys.Add(WireCodec<TKey>.FromBytes(reader.ReadBytes(reader.ReadLength(0, "key"), "key")));
            }

            reader.EnsureConsumed("the shared dictionary keys");
            return keys;
        }
    }

    internal BrokerHandle Handle { get; }

    /// <summary>Reads or sets the value of <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">Reading a key that is not there.</exception>
    /// <exception cref="IOException">The manager is gone.</exception>
    public TValue this[TKey key]
    {
        get => TryGetValue(key, out TValue? value) ? value : throw new KeyNotFoundException($"The key '{key}' is not in the shared dictionary.");
        set
        {
            byte[] keyBytes = WireCodec<TKey>.ToBytes(key);
            using var writer = new WireWriter(keyBytes.Length + 64);
            writer.WriteLength(keyBytes.Length);
            writer.WriteUnmanagedSpan<byte>(keyBytes);
            WireCodec<TValue>.Instance.Write(writer, value);
            Handle.Invoke(BrokerOp.DictionarySet, writer.WrittenSpan).ThrowIfError();
        }
    }

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
    public override string ToString() => $"SharedDictionary<{typeof(TKey).Name}, {typeof(TValue).Name}> #{Handle.Id} held by {Handle.HostDescription}";
}

/// <summary>Carries a <see cref="SharedDictionary{TKey, TValue}"/> as a handle: which manager holds it and its id there.</summary>
public readonly struct SharedDictionaryCodec<TKey, TValue> : IWireCodec<SharedDictionary<TKey, TValue>>
    where TKey : notnull
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, SharedDictionary<TKey, TValue> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static SharedDictionary<TKey, TValue> Read(ref WireReader reader) => reader.ReadByte() == 0 ? null! : new SharedDictionary<TKey, TValue>(BrokerHandle.Read(ref reader));
}
