using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MemoryPack;
using MessagePack;
using ParallelGen.Serialization;

namespace ParallelGen.Benchmarks;

/// <summary>
/// Parallel.Gen's generated codecs against MemoryPack and MessagePack-CSharp on the same values: serialize into a
/// reused buffer, deserialize from a byte array. MemoryPack is the baseline of each category (Ratio column).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializerBenchmarks : IDisposable
{
    private readonly WireWriter _wire = new(16 * 1024 * 1024);
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024 * 1024);
    private readonly MessagePackSerializerOptions _messagePack = MessagePackSerializerOptions.Standard;

    private SmallRecord _small = null!;
    private Catalog _thousand = null!;
    private double[] _doubles = null!;

    private byte[] _smallWire = null!, _smallMemoryPack = null!, _smallMessagePack = null!;
    private byte[] _thousandWire = null!, _thousandMemoryPack = null!, _thousandMessagePack = null!;
    private byte[] _doublesWire = null!, _doublesMemoryPack = null!, _doublesMessagePack = null!;

    [GlobalSetup]
    public void Setup()
    {
        _small = Samples.Small(7);
        _thousand = Samples.Thousand();
        _doubles = Samples.Doubles();

        _smallWire = Wire<SmallRecord, SmallRecordCodec>(_small);
        _thousandWire = Wire<Catalog, CatalogCodec>(_thousand);
        _doublesWire = Wire<double[], DoublesCodec>(_doubles);
        _smallMemoryPack = MemoryPackSerializer.Serialize(_small);
        _thousandMemoryPack = MemoryPackSerializer.Serialize(_thousand);
        _doublesMemoryPack = MemoryPackSerializer.Serialize(_doubles);
        _smallMessagePack = MessagePackSerializer.Serialize(_small, _messagePack);
        _thousandMessagePack = MessagePackSerializer.Serialize(_thousand, _messagePack);
        _doublesMessagePack = MessagePackSerializer.Serialize(_doubles, _messagePack);

        // Every serializer must give back what it was given, or the comparison means nothing.
        Check(_small == ReadWire<SmallRecord, SmallRecordCodec>(_smallWire) && _small == MemoryPackSerializer.Deserialize<SmallRecord>(_smallMemoryPack) && _small == MessagePackSerializer.Deserialize<SmallRecord>(_smallMessagePack, _messagePack));
        Check(_thousand.Items.SequenceEqual(ReadWire<Catalog, CatalogCodec>(_thousandWire).Items) && _thousand.Items.SequenceEqual(MemoryPackSerializer.Deserialize<Catalog>(_thousandMemoryPack)!.Items) && _thousand.Items.SequenceEqual(MessagePackSerializer.Deserialize<Catalog>(_thousandMessagePack, _messagePack).Items));
        Check(_doubles.AsSpan().SequenceEqual(ReadWire<double[], DoublesCodec>(_doublesWire)) && _doubles.AsSpan().SequenceEqual(MemoryPackSerializer.Deserialize<double[]>(_doublesMemoryPack)) && _doubles.AsSpan().SequenceEqual(MessagePackSerializer.Deserialize<double[]>(_doublesMessagePack, _messagePack)));
        Console.WriteLine($"// Sizes in bytes (Parallel.Gen / MemoryPack / MessagePack): small record {_smallWire.Length} / {_smallMemoryPack.Length} / {_smallMessagePack.Length}; 1,000 records {_thousandWire.Length} / {_thousandMemoryPack.Length} / {_thousandMessagePack.Length}; double[] {_doublesWire.Length} / {_doublesMemoryPack.Length} / {_doublesMessagePack.Length}");
    }

    [Benchmark(Description = "Parallel.Gen"), BenchmarkCategory("Small record: serialize")]
    public int SmallSerializeWire() => Write<SmallRecord, SmallRecordCodec>(_small);

    [Benchmark(Description = "MemoryPack", Baseline = true), BenchmarkCategory("Small record: serialize")]
    public int SmallSerializeMemoryPack() => WriteMemoryPack(_small);

    [Benchmark(Description = "MessagePack"), BenchmarkCategory("Small record: serialize")]
    public int SmallSerializeMessagePack() => WriteMessagePack(_small);

    [Benchmark(Description = "Parallel.Gen"), BenchmarkCategory("Small record: deserialize")]
    public SmallRecord SmallDeserializeWire() => ReadWire<SmallRecord, SmallRecordCodec>(_smallWire);

    [Benchmark(Description = "MemoryPack", Baseline = true), BenchmarkCategory("Small record: deserialize")]
    public SmallRecord? SmallDeserializeMemoryPack() => MemoryPackSerializer.Deserialize<SmallRecord>(_smallMemoryPack);

    [Benchmark(Description = "MessagePack"), BenchmarkCategory("Small record: deserialize")]
    public SmallRecord SmallDeserializeMessagePack() => MessagePackSerializer.Deserialize<SmallRecord>(_smallMessagePack, _messagePack);

    [Benchmark(Description = "Parallel.Gen"), BenchmarkCategory("1,000 records: serialize")]
    public int ThousandSerializeWire() => Write<Catalog, CatalogCodec>(_thousand);

    [Benchmark(Description = "MemoryPack", Baseline = true), BenchmarkCategory("1,000 records: serialize")]
    public int ThousandSerializeMemoryPack() => WriteMemoryPack(_thousand);

    [Benchmark(Description = "MessagePack"), BenchmarkCategory("1,000 records: serialize")]
    public int ThousandSerializeMessagePack() => WriteMessagePack(_thousand);

    [Benchmark(Description = "Parallel.Gen"), BenchmarkCategory("1,000 records: deserialize")]
    public Catalog ThousandDeserializeWire() => ReadWire<Catalog, CatalogCodec>(_thousandWire);

    [Benchmark(Description = "MemoryPack", Baseline = true), BenchmarkCategory("1,000 records: deserialize")]
    public Catalog? ThousandDeserializeMemoryPack() => MemoryPackSerializer.Deserialize<Catalog>(_thousandMemoryPack);

    [Benchmark(Description = "MessagePack"), BenchmarkCategory("1,000 records: deserialize")]
    public Catalog ThousandDeserializeMessagePack() => MessagePackSerializer.Deserialize<Catalog>(_thousandMessagePack, _messagePack);

    [Benchmark(Description = "Parallel.Gen"), BenchmarkCategory("8 MB double[]: serialize")]
    public int DoublesSerializeWire() => Write<double[], DoublesCodec>(_doubles);

    [Benchmark(Description = "MemoryPack", Baseline = true), BenchmarkCategory("8 MB double[]: serialize")]
    public int DoublesSerializeMemoryPack() => WriteMemoryPack(_doubles);

    [Benchmark(Description = "MessagePack"), BenchmarkCategory("8 MB double[]: serialize")]
    public int DoublesSerializeMessagePack() => WriteMessagePack(_doubles);

    [Benchmark(Description = "Parallel.Gen"), BenchmarkCategory("8 MB double[]: deserialize")]
    public double[] DoublesDeserializeWire() => ReadWire<double[], DoublesCodec>(_doublesWire);

    [Benchmark(Description = "MemoryPack", Baseline = true), BenchmarkCategory("8 MB double[]: deserialize")]
    public double[]? DoublesDeserializeMemoryPack() => MemoryPackSerializer.Deserialize<double[]>(_doublesMemoryPack);

    [Benchmark(Description = "MessagePack"), BenchmarkCategory("8 MB double[]: deserialize")]
    public double[] DoublesDeserializeMessagePack() => MessagePackSerializer.Deserialize<double[]>(_doublesMessagePack, _messagePack);

    [GlobalCleanup]
    public void Dispose()
    {
        _wire.Dispose();
        GC.SuppressFinalize(this);
    }

    private int Write<T, TCodec>(T value)
        where TCodec : IWireCodec<T>
    {
        _wire.Reset();
        TCodec.Write(_wire, value);
        return _wire.Position;
    }

    private int WriteMemoryPack<T>(T value)
    {
        _buffer.ResetWrittenCount();
        MemoryPackSerializer.Serialize(_buffer, value);
        return _buffer.WrittenCount;
    }

    private int WriteMessagePack<T>(T value)
    {
        _buffer.ResetWrittenCount();
        MessagePackSerializer.Serialize(_buffer, value, _messagePack);
        return _buffer.WrittenCount;
    }

    private static T ReadWire<T, TCodec>(byte[] bytes)
        where TCodec : IWireCodec<T>
    {
        var reader = new WireReader(bytes);
        return TCodec.Read(ref reader);
    }

    private static byte[] Wire<T, TCodec>(T value)
        where TCodec : IWireCodec<T>
    {
        using var writer = new WireWriter();
        TCodec.Write(writer, value);
        return writer.WrittenSpan.ToArray();
    }

    private static void Check(bool roundTripped)
    {
        if (!roundTripped)
        {
            throw new InvalidOperationException("A serializer didn't round-trip its input.");
        }
    }
}
