using System.ComponentModel;

namespace ParallelGen.Serialization;

/// <summary>
/// Codecs for the values that travel inside runtime objects: queue items, pipe messages, manager
/// lists and dictionaries. Those objects are generic classes, not call sites, so no interceptor can
/// hand them a codec as a type argument. Instead the generator registers, at start-up, a codec for
/// every concrete type it sees used with them in source (<c>new ProcessQueue&lt;Order&gt;()</c>,
/// <c>manager.List&lt;string&gt;()</c>, a <c>PipeEnd&lt;int&gt;</c> worker parameter...).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WireCodecs
{
    /// <summary>Registers <typeparamref name="TCodec"/> as the codec of <typeparamref name="T"/>. Called by generated code; the first registration wins.</summary>
    public static void Register<T, TCodec>()
        where TCodec : IWireCodec<T>
        => WireCodec<T>.Register(new WireCodecAdapter<T, TCodec>());
}

/// <summary>A registered codec behind a virtual call: one indirection per value, no reflection.</summary>
internal abstract class WireCodecAdapter<T>
{
    public abstract void Write(WireWriter writer, T value);

    public abstract T Read(ref WireReader reader);
}

internal sealed class WireCodecAdapter<T, TCodec> : WireCodecAdapter<T>
    where TCodec : IWireCodec<T>
{
    public override void Write(WireWriter writer, T value) => TCodec.Write(writer, value);

    public override T Read(ref WireReader reader) => TCodec.Read(ref reader);
}

/// <summary>The codec of <typeparamref name="T"/>: the registered one, else a built-in one for common types.</summary>
internal static class WireCodec<T>
{
    private static WireCodecAdapter<T>? s_codec;

    public static WireCodecAdapter<T> Instance => Volatile.Read(ref s_codec) ?? Resolve();

    public static void Register(WireCodecAdapter<T> codec) => Interlocked.CompareExchange(ref s_codec, codec, null);

    /// <summary>Serializes one value into a new array (the unit a queue, pipe or manager stores).</summary>
    public static byte[] ToBytes(T value)
    {
        using var writer = new WireWriter();
        Instance.Write(writer, value);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one value that must fill <paramref name="bytes"/> exactly.</summary>
    public static T FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        T value = Instance.Read(ref reader);
        reader.EnsureConsumed(typeof(T).Name);
        return value;
    }

    private static WireCodecAdapter<T> Resolve()
    {
        WireCodecAdapter<T> codec = BuiltIn() ?? throw new InvalidOperationException(
            $"No wire codec is registered for {typeof(T)}. The Parallel.Gen generator registers one for every type it sees used with " +
            "ProcessQueue<T>, PipeEnd<T>, ProcessPipe.Create<T>, ManagedList<T> and ManagedDictionary<TKey, TValue> in source. Mention the " +
            $"concrete type once in the project that references Parallel.Gen (e.g. new ProcessQueue<{typeof(T).Name}>()), not only through a generic type parameter.");
        Register(codec);
        return Volatile.Read(ref s_codec)!;
    }

    /// <summary>Codecs for common types, so that generic code over them works without a registration.</summary>
    private static WireCodecAdapter<T>? BuiltIn()
    {
        object? codec = null;
        if (typeof(T) == typeof(int))
        {
            codec = new WireCodecAdapter<int, UnmanagedCodec<int>>();
        }
        else if (typeof(T) == typeof(long))
        {
            codec = new WireCodecAdapter<long, UnmanagedCodec<long>>();
        }
        else if (typeof(T) == typeof(double))
        {
            codec = new WireCodecAdapter<double, UnmanagedCodec<double>>();
        }
        else if (typeof(T) == typeof(float))
        {
            codec = new WireCodecAdapter<float, UnmanagedCodec<float>>();
        }
        else if (typeof(T) == typeof(byte))
        {
            codec = new WireCodecAdapter<byte, UnmanagedCodec<byte>>();
        }
        else if (typeof(T) == typeof(short))
        {
            codec = new WireCodecAdapter<short, UnmanagedCodec<short>>();
        }
        else if (typeof(T) == typeof(uint))
        {
            codec = new WireCodecAdapter<uint, UnmanagedCodec<uint>>();
        }
        else if (typeof(T) == typeof(ulong))
        {
            codec = new WireCodecAdapter<ulong, UnmanagedCodec<ulong>>();
        }
        else if (typeof(T) == typeof(char))
        {
            codec = new WireCodecAdapter<char, UnmanagedCodec<char>>();
        }
        else if (typeof(T) == typeof(bool))
        {
            codec = new WireCodecAdapter<bool, BooleanCodec>();
        }
        else if (typeof(T) == typeof(decimal))
        {
            codec = new WireCodecAdapter<decimal, DecimalCodec>();
        }
        else if (typeof(T) == typeof(string))
        {
            codec = new WireCodecAdapter<string?, StringCodec>();
        }
        else if (typeof(T) == typeof(Guid))
        {
            codec = new WireCodecAdapter<Guid, UnmanagedCodec<Guid>>();
        }
        else if (typeof(T) == typeof(TimeSpan))
        {
            codec = new WireCodecAdapter<TimeSpan, UnmanagedCodec<TimeSpan>>();
        }
        else if (typeof(T) == typeof(DateTime))
        {
            codec = new WireCodecAdapter<DateTime, DateTimeCodec>();
        }
        else if (typeof(T) == typeof(byte[]))
        {
            codec = new WireCodecAdapter<byte[]?, UnmanagedArrayCodec<byte>>();
        }
        else if (typeof(T) == typeof(int[]))
        {
            codec = new WireCodecAdapter<int[]?, UnmanagedArrayCodec<int>>();
        }
        else if (typeof(T) == typeof(double[]))
        {
            codec = new WireCodecAdapter<double[]?, UnmanagedArrayCodec<double>>();
        }

        return (WireCodecAdapter<T>?)codec;
    }
}
