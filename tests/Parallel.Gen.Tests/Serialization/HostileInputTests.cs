using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Numerics;
using ParallelGen.Serialization;
using ParallelGen.Tests.DataShapes;

namespace ParallelGen.Tests;

/// <summary>Everything the serializers carry, in one value, for the hostile-input tests.</summary>
public sealed record FuzzSubject(
    Order Order,
    Person? Person,
    Scalars Scalars,
    Shape?[] Shapes,
    IAnimal[] Animals,
    Dictionary<string, Line[]> ByKey,
    HashSet<Priority> Priorities,
    TreeNode Tree,
    double[,] Matrix,
    int[][] Jagged,
    ImmutableArray<Cell> Cells,
    ReadOnlyMemory<short> Samples,
    List<(Access, string?)> Grants,
    Link? Chain,
    IReadOnlyList<Temperature?> Temperatures,
    Catalog.Entry Entry);

/// <summary>The generated codec of <see cref="FuzzSubject"/>, the same one [Worker] signatures get.</summary>
[GenerateWireCodec(typeof(FuzzSubject))]
internal partial struct FuzzSubjectCodec;

[GenerateWireCodec(typeof(Link))]
internal partial struct LinkCodec;

[GenerateWireCodec(typeof(Shape))]
internal partial struct ShapeCodec;

[GenerateWireCodec(typeof(Dictionary<string, int>))]
internal partial struct WordCountsCodec;

/// <summary>
/// The generated readers trust nothing: random and mutated payloads, every truncation, absurd lengths, deep
/// nesting, unknown discriminators and undefined enum values all end in a <see cref="WireFormatException"/>
/// naming what was read: never a crash, a hang, another exception, or an allocation the payload can't justify.
/// </summary>
public sealed class HostileInputTests
{
    private const int Seed = 20261127;

    [Fact]
    public void The_rich_subject_round_trips_in_process()
    {
        FuzzSubject subject = Subject();

        FuzzSubject copy = Decode(Encode(subject));

        Assert.Equivalent(subject, copy, strict: true);
    }

    [Fact]
    public void Truncation_at_every_offset_fails_naming_the_type_being_read()
    {
        byte[] payload = Encode(Subject());

        for (int length = 0; length < payload.Length; length++)
        {
            var error = Assert.Throws<WireFormatException>(() => Decode(payload.AsSpan(0, length)));
            Assert.True(
                error.Message.Contains("(reading ", StringComparison.Ordinal) || error.Message.Contains(nameof(FuzzSubject), StringComparison.Ordinal),
                $"Truncated at {length} of {payload.Length} bytes, the error doesn't name the type being read: {error.Message}");
        }
    }

    [Fact]
    public void Random_payloads_fail_cleanly()
    {
        var random = new Random(Seed);
        for (int i = 0; i < 2_000; i++)
        {
            byte[] payload = new byte[random.Next(0, 600)];
            random.NextBytes(payload);

            // Mostly valid presence bytes, so the reader gets past the first byte more often than not.
            if (payload.Length > 0 && random.Next(4) > 0)
            {
                payload[0] = 1;
            }

            AssertFailsCleanlyOrDecodes(payload, $"random payload {i} (seed {Seed})");
        }
    }

    [Fact]
    public void Mutated_payloads_fail_cleanly_or_decode_to_something_sendable()
    {
        var random = new Random(Seed);
        byte[][] valid = [Encode(Subject()), Encode(Subject() with { Person = null, Chain = null, Shapes = [], Tree = new TreeNode() })];
        for (int i = 0; i < 4_000; i++)
        {
            byte[] payload = Mutate(valid[i % valid.Length], random);
            AssertFailsCleanlyOrDecodes(payload, $"mutation {i} (seed {Seed})");
        }
    }

    [Fact]
    public void A_huge_length_is_refused_before_anything_is_allocated()
    {
        // WordCounts: a count of 2^31-1 pairs, then a few bytes.
        byte[] payload = [0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3];
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<WireFormatException>(() => ReadWith<Dictionary<string, int>, WordCountsCodec>(payload));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
        Assert.Contains("Dictionary", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated or corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_without_exhausting_the_stack()
    {
        // A chain of 100,000 links: a presence byte per level, then the values on the way out.
        const int Depth = 100_000;
        byte[] payload = new byte[Depth + 1 + (Depth * 4)];
        payload.AsSpan(0, Depth).Fill(1);

        var error = Assert.Throws<WireFormatException>(() => ReadWith<Link, LinkCodec>(payload));

        Assert.Contains("nest deeper than 1000 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_discriminator_names_the_declared_type()
    {
        var error = Assert.Throws<WireFormatException>(() => ReadWith<Shape, ShapeCodec>([9, 1]));

        Assert.Contains("Unknown type discriminator 9 for ParallelGen.Tests.DataShapes.Shape", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_presence_byte_names_the_type()
    {
        var error = Assert.Throws<WireFormatException>(() => ReadWith<Link, LinkCodec>([7]));

        Assert.Contains("presence byte 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("Link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Undefined_enum_values_and_flags_are_refused()
    {
        byte[] payload = Encode(Subject());
        FuzzSubject subject = Subject();

        // Find the Priority byte of Order by encoding two subjects that differ only there.
        byte[] other = Encode(subject with { Order = subject.Order with { Priority = Priority.Low } });
        int at = Enumerable.Range(0, payload.Length).First(i => payload[i] != other[i]);
        payload[at] = 42;

        var error = Assert.Throws<WireFormatException>(() => Decode(payload));

        Assert.Contains("Value 42", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a defined member of enum ParallelGen.Tests.DataShapes.Priority", error.Message, StringComparison.Ordinal);
        Assert.Contains("(reading ParallelGen.Tests.DataShapes.Order)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_dictionary_key_is_refused()
    {
        byte[] payload = new byte[4 + (2 * (4 + 1 + 4))];
        BinaryPrimitives.WriteInt32LittleEndian(payload, 2);
        for (int i = 0; i < 2; i++)
        {
            int at = 4 + (i * 9);
            BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(at), 1);
            payload[at + 4] = (byte)'k';
            BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(at + 5), i);
        }

        var error = Assert.Throws<WireFormatException>(() => ReadWith<Dictionary<string, int>, WordCountsCodec>(payload));

        Assert.Contains("repeats an earlier key", error.Message, StringComparison.Ordinal);
    }

    private static void AssertFailsCleanlyOrDecodes(byte[] payload, string what)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        FuzzSubject? decoded;
        try
        {
            decoded = Decode(payload);
        }
        catch (WireFormatException)
        {
            decoded = null;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {payload.Length} bytes threw {e.GetType().Name} instead of WireFormatException:\n{e}\npayload: {Convert.ToHexString(payload)}");
            return;
        }

        // Nothing allocates more than the payload can justify: a small multiple of its size, plus the exception.
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= (64L * payload.Length) + (256 * 1024), $"{what}: reading {payload.Length} bytes allocated {allocated:N0} bytes.");

        if (decoded is not null)
        {
            // Whatever decoded is a well-formed value: it can be sent on.
            _ = Encode(decoded);
        }
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        byte[] payload = (byte[])valid.Clone();
        switch (random.Next(6))
        {
            case 0: // flip a few bytes
                for (int n = random.Next(1, 5); n > 0; n--)
                {
                    payload[random.Next(payload.Length)] ^= (byte)random.Next(1, 256);
                }

                return payload;
            case 1: // a length or count somewhere becomes extreme
                int[] extremes = [-1, -2, 0, 1, int.MaxValue, int.MinValue, 0x10000, valid.Length, valid.Length + 1, 1_000_000];
                int at = random.Next(payload.Length - 4);
                BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(at), extremes[random.Next(extremes.Length)]);
                return payload;
            case 2: // truncate
                return payload[..random.Next(payload.Length)];
            case 3: // insert random bytes
            {
                int where = random.Next(payload.Length);
                byte[] inserted = new byte[random.Next(1, 16)];
                random.NextBytes(inserted);
                return [.. payload[..where], .. inserted, .. payload[where..]];
            }

            case 4: // delete a range
            {
                int where = random.Next(payload.Length);
                int count = Math.Min(random.Next(1, 32), payload.Length - where);
                return [.. payload[..where], .. payload[(where + count)..]];
            }

            default: // duplicate a range
            {
                int where = random.Next(payload.Length);
                int count = Math.Min(random.Next(1, 64), payload.Length - where);
                return [.. payload[..(where + count)], .. payload[where..]];
            }
        }
    }

    private static byte[] Encode(FuzzSubject subject)
    {
        using var writer = new WireWriter();
        FuzzSubjectCodec.Write(writer, subject);
        return writer.WrittenSpan.ToArray();
    }

    private static FuzzSubject Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        return FuzzSubjectCodec.Read(ref reader);
    }

    private static T ReadWith<T, TCodec>(ReadOnlySpan<byte> payload)
        where TCodec : IWireCodec<T>
    {
        var reader = new WireReader(payload);
        return TCodec.Read(ref reader);
    }

    private static FuzzSubject Subject()
    {
        var tree = new TreeNode { Value = 1, Children = [new TreeNode { Value = 2 }, new TreeNode { Value = 3, Children = [new TreeNode { Value = 4 }] }] };
        var scalars = new Scalars(
            new Guid("8d4b0c52-7b55-4d0a-9b8e-2f6d1d7c9a01"), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            TimeSpan.FromSeconds(90), new DateOnly(2026, 1, 2), new TimeOnly(3, 4, 5), 12.345m, BigInteger.Pow(7, 77), (Half)0.5, 'λ', "grüße 👋",
            Int128.MaxValue, Access.Read | Access.Write, Extreme.Max, Priority.Normal, 7, true, 1, -1, -300, 300, 70_000, -5_000_000_000, 5_000_000_000, 1.5f, 2.25);
        return new FuzzSubject(
            new Order(9, "Ada", [new Line("a", 1, 2.5m), new Line("b", 3, 0.1m)], Priority.High) { Notes = "fragile" },
            new Person { Name = "Grace", Age = 85, Nicknames = ["Amazing Grace"] },
            scalars,
            [new Circle("c", 2), null, new Square("s", 3), new Rect("r", 1, 2)],
            [new Dog("d", true), new Cat("c", 7)],
            new Dictionary<string, Line[]> { ["x"] = [new Line("x1", 1, 1m)], ["empty"] = [] },
            [Priority.Low, Priority.High],
            tree,
            new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } },
            [[1, 2], [], [3]],
            [new Cell { Row = 1, Column = 2, Text = "cell" }],
            new short[] { -1, 0, 1, short.MaxValue },
            [(Access.Execute, "run"), (Access.None, null)],
            new Link { Value = 1, Next = new Link { Value = 2 } },
            [new Temperature(20, "a"), null],
            new Catalog.Entry("book", new Catalog.Section.Shelf(2, 'B')));
    }
}
