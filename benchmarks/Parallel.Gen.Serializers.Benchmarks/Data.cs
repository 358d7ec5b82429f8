using MemoryPack;
using MessagePack;

namespace ParallelGen.Benchmarks;

// The same types for all three serializers: each library's attributes on one declaration, so every
// serializer carries exactly the same members. Ours needs no attribute: [GenerateWireCodec] below
// asks for the codec a [Worker] signature would get.

public enum Category
{
    Books,
    Games,
    Music,
}

[MemoryPackable]
[MessagePackObject]
public sealed partial record SmallRecord(
    [property: Key(0)] int Id,
    [property: Key(1)] string Name,
    [property: Key(2)] double Price,
    [property: Key(3)] long Timestamp,
    [property: Key(4)] bool Active,
    [property: Key(5)] Category Category);

[MemoryPackable]
[MessagePackObject]
public sealed partial record Catalog([property: Key(0)] List<SmallRecord> Items);

[Serialization.GenerateWireCodec(typeof(SmallRecord))]
public partial struct SmallRecordCodec;

[Serialization.GenerateWireCodec(typeof(Catalog))]
public partial struct CatalogCodec;

[Serialization.GenerateWireCodec(typeof(double[]))]
public partial struct DoublesCodec;

public static class Samples
{
    public static SmallRecord Small(int i) => new(i, "item-" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), i * 1.25, 638_700_000_000_000_000L + i, i % 2 == 0, (Category)(i % 3));

    public static Catalog Thousand() => new([.. Enumerable.Range(0, 1_000).Select(Small)]);

    /// <summary>8 MiB of doubles.</summary>
    public static double[] Doubles()
    {
        var random = new Random(42);
        var values = new double[8 * 1024 * 1024 / sizeof(double)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble();
        }

        return values;
    }
}
