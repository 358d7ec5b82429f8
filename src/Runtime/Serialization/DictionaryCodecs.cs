namespace ParallelGen.Serialization;

/// <summary>
/// The wire form shared by dictionaries: a count (-1 for <see langword="null"/>), then key and value
/// pairs. Comparers don't travel: the receiver's dictionary uses the default comparer, and a key that
/// repeats under it (or a <see langword="null"/> key) is rejected as corrupt.
/// </summary>
internal static class Dictionaries
{
    public static void Write<TKey, TKeyCodec, TValue, TValueCodec>(WireWriter writer, IEnumerable<KeyValuePair<TKey, TValue>>? value)
        where TKey : notnull
        where TKeyCodec : IWireCodec<TKey>
        where TValueCodec : IWireCodec<TValue>
    {
        if (value is null)
        {
            writer.WriteLength(-1);
            return;
        }

        if (value is Dictionary<TKey, TValue> dictionary)
        {
            // The concrete type's struct enumerator: no allocation.
            writer.WriteLength(dictionary.Count);
            foreach (KeyValuePair<TKey, TValue> pair in dictionary)
            {
                TKeyCodec.Write(writer, pair.Key);
                TValueCodec.Write(writer, pair.Value);
            }

            return;
        }

        int slot = writer.ReserveInt32();
        int count = 0;
        foreach (KeyValuePair<TKey, TValue> pair in value)
        {
            TKeyCodec.Write(writer, pair.Key);
            TValueCodec.Write(writer, pair.Value);
            count++;
        }

        writer.PatchInt32(slot, count);
    }

    public static Dictionary<TKey, TValue>? Read<TKey, TKeyCodec, TValue, TValueCodec>(ref WireReader reader, string what)
        where TKey : notnull
        where TKeyCodec : IWireCodec<TKey>
        where TValueCodec : IWireCodec<TValue>
    {
        // Each pair takes at least the key's and the value's minimum.
        int count = reader.ReadLength(WireSize.Element<TKey, TKeyCodec>() + WireSize.Element<TValue, TValueCodec>(), what);
        if (count < 0)
        {
            return null;
        }

        var result = new Dictionary<TKey, TValue>(count);
        for (int i = 0; i < count; i++)
        {
            int at = reader.Position;
            TKey key = TKeyCodec.Read(ref reader);
            TValue value = TValueCodec.Read(ref reader);
            if (key is null)
            {
                throw reader.Error($"Corrupt {what}: null key at offset {at}");
            }

            if (!result.TryAdd(key, value))
            {
                throw reader.Error($"Corrupt {what}: key at offset {at} repeats an earlier key");
            }
        }

        return result;
    }
}

/// <summary>Carries a <see cref="Dictionary{TKey, TValue}"/> (without its comparer).</summary>
public readonly struct DictionaryCodec<TKey, TKeyCodec, TValue, TValueCodec> : IWireCodec<Dictionary<TKey, TValue>?>
    where TKey : notnull
    where TKeyCodec : IWireCodec<TKey>
    where TValueCodec : IWireCodec<TValue>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, Dictionary<TKey, TValue>? value) => Dictionaries.Write<TKey, TKeyCodec, TValue, TValueCodec>(writer, value);

    /// <inheritdoc/>
    public static Dictionary<TKey, TValue>? Read(ref WireReader reader) => Dictionaries.Read<TKey, TKeyCodec, TValue, TValueCodec>(ref reader, "Dictionary");

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries an <see cref="IDictionary{TKey, TValue}"/>, read back as a <see cref="Dictionary{TKey, TValue}"/>.</summary>
public readonly struct DictionaryInterfaceCodec<TKey, TKeyCodec, TValue, TValueCodec> : IWireCodec<IDictionary<TKey, TValue>?>
    where TKey : notnull
    where TKeyCodec : IWireCodec<TKey>
    where TValueCodec : IWireCodec<TValue>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, IDictionary<TKey, TValue>? value) => Dictionaries.Write<TKey, TKeyCodec, TValue, TValueCodec>(writer, value);

    /// <inheritdoc/>
    public static IDictionary<TKey, TValue>? Read(ref WireReader reader) => Dictionaries.Read<TKey, TKeyCodec, TValue, TValueCodec>(ref reader, "IDictionary");

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries an <see cref="IReadOnlyDictionary{TKey, TValue}"/>, read back as a <see cref="Dictionary{TKey, TValue}"/>.</summary>
public readonly struct ReadOnlyDictionaryCodec<TKey, TKeyCodec, TValue, TValueCodec> : IWireCodec<IReadOnlyDictionary<TKey, TValue>?>
    where TKey : notnull
    where TKeyCodec : IWireCodec<TKey>
    where TValueCodec : IWireCodec<TValue>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, IReadOnlyDictionary<TKey, TValue>? value) => Dictionaries.Write<TKey, TKeyCodec, TValue, TValueCodec>(writer, value);

    /// <inheritdoc/>
    public static IReadOnlyDictionary<TKey, TValue>? Read(ref WireReader reader) => Dictionaries.Read<TKey, TKeyCodec, TValue, TValueCodec>(ref reader, "IReadOnlyDictionary");

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a <see cref="HashSet{T}"/> (without its comparer).</summary>
public readonly struct HashSetCodec<T, TCodec> : IWireCodec<HashSet<T>?>
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, HashSet<T>? value)
    {
        if (value is null)
        {
            writer.WriteLength(-1);
            return;
        }

        writer.WriteLength(value.Count);
        foreach (T item in value)
        {
            TCodec.Write(writer, item);
        }
    }

    /// <inheritdoc/>
    public static HashSet<T>? Read(ref WireReader reader)
    {
        int count = reader.ReadLength(WireSize.Element<T, TCodec>(), "HashSet");
        if (count < 0)
        {
            return null;
        }

        // A repeat (possible when the sender's comparer was stricter than the default one) just folds in.
        var result = new HashSet<T>(count);
        for (int i = 0; i < count; i++)
        {
            result.Add(TCodec.Read(ref reader));
        }

        return result;
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a <see cref="KeyValuePair{TKey, TValue}"/>: the key, then the value.</summary>
public readonly struct KeyValuePairCodec<TKey, TKeyCodec, TValue, TValueCodec> : IWireCodec<KeyValuePair<TKey, TValue>>
    where TKeyCodec : IWireCodec<TKey>
    where TValueCodec : IWireCodec<TValue>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, KeyValuePair<TKey, TValue> value)
    {
        TKeyCodec.Write(writer, value.Key);
        TValueCodec.Write(writer, value.Value);
    }

    /// <inheritdoc/>
    public static KeyValuePair<TKey, TValue> Read(ref WireReader reader)
    {
        TKey key = TKeyCodec.Read(ref reader);
        TValue value = TValueCodec.Read(ref reader);
        return new KeyValuePair<TKey, TValue>(key, value);
    }

    /// <inheritdoc/>
    public static int MinWireSize => TKeyCodec.MinWireSize + TValueCodec.MinWireSize;
}
