using System.Numerics;
using ParallelGen.Tests.DataShapes;
using S = ParallelGen.Tests.DataShapes.SerializationWorkers;

namespace ParallelGen.Tests;

/// <summary>Scalars and enums, inside a record and on their own, through a real worker process and back.</summary>
[Collection(SharedPoolDefinition.Name)]
public sealed class ScalarRoundTripTests(SharedPoolFixture fixture)
{
    private ProcessPool Pool => fixture.Pool;

    [Fact]
    public void Every_scalar_keeps_its_value()
    {
        var scalars = new Scalars(
            Guid.NewGuid(),
            new DateTime(2026, 11, 27, 8, 30, 15, DateTimeKind.Local).AddTicks(7),
            new DateTimeOffset(2026, 11, 27, 8, 30, 15, TimeSpan.FromHours(-9.5)),
            TimeSpan.FromTicks(-123_456_789),
            DateOnly.MaxValue,
            new TimeOnly(23, 59, 59, 999),
            -79228162514264337593543950335m,
            BigInteger.Parse("-123456789012345678901234567890123456789", System.Globalization.CultureInfo.InvariantCulture),
            (Half)3.14,
            '\uD83D', // a lone surrogate is a valid char
            "emoji 👩‍💻, RTL שלום, combining é, NUL \0 inside",
            Int128.MinValue,
            Access.Read | Access.Execute,
            Extreme.Min,
            Priority.Normal,
            null,
            Flag: true,
            Octet: byte.MaxValue,
            SignedOctet: sbyte.MinValue,
            Offset: short.MinValue,
            Port: ushort.MaxValue,
            Mask: uint.MaxValue,
            Ticks: long.MinValue,
            Hash: ulong.MaxValue,
            Ratio: float.NaN,
            Mean: double.NegativeInfinity);

        Scalars echoed = Pool.Apply(S.EchoScalars, scalars);

        Assert.Equal(scalars, echoed);
        Assert.Equal(DateTimeKind.Local, echoed.When.Kind);
        Assert.Equal(scalars.At.Offset, echoed.At.Offset);
    }

    [Fact]
    public void DateTime_keeps_its_kind()
    {
        foreach (DateTimeKind kind in Enum.GetValues<DateTimeKind>())
        {
            var value = new DateTime(2000, 2, 29, 12, 0, 0, kind);
            Scalars echoed = Pool.Apply(S.EchoScalars, Sample() with { When = value });
            Assert.Equal(kind, echoed.When.Kind);
        }
    }

    [Fact]
    public void BigIntegers_of_any_size()
    {
        BigInteger expected = Enumerable.Range(2, 299).Aggregate(BigInteger.One, (a, b) => a * b);

        Assert.Equal(expected, Pool.Apply(S.Factorial, 300));
        Assert.Equal(BigInteger.One, Pool.Apply(S.Factorial, 0));
    }

    [Fact]
    public void Enums_and_flag_combinations()
    {
        Assert.Equal(Access.Read | Access.Write | Access.Execute, Pool.Apply(S.Grant, Access.Read | Access.Execute, Access.Write));
        Assert.Equal(Access.None, Pool.Apply(S.Grant, Access.None, Access.None));
        Assert.Equal([Priority.Low, Priority.High], Pool.Map(S.EchoPriority, [Priority.Low, Priority.High]));
    }

    [Fact]
    public void An_enum_value_outside_the_enum_is_refused_by_the_receiver()
    {
        var error = Assert.Throws<WorkerException>(() => Pool.Apply(S.EchoPriority, (Priority)42));

        Assert.Contains("42", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a defined member of enum ParallelGen.Tests.DataShapes.Priority", error.Message, StringComparison.Ordinal);

        var flags = Assert.Throws<WorkerException>(() => Pool.Apply(S.Grant, (Access)8, Access.None));
        Assert.Contains("Access", flags.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_in_any_unicode_and_chars()
    {
        string[] texts = ["", "a", "héllo", "漢字かな", "👩‍💻🚀 mixed ascii", "\u0000\uFFFF", new string('ß', 50_000)];

        Assert.Equal(texts.Select(t => string.Concat(t.EnumerateRunes().Reverse())), Pool.Map(S.Reverse, texts));
    }

    private static Scalars Sample() => new(
        Guid.Empty, default, default, default, default, default, 0m, BigInteger.Zero, Half.Zero, 'x', "", 0, Access.None, Extreme.Zero,
        null, 0, false, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
