using ParallelGen.Serialization;

namespace ParallelGen.Tests;

/// <summary>A type that names its own codec with [WireCodec]: the seam runtime handle types travel through.</summary>
[WireCodec(typeof(MoneyCodec))]
public readonly record struct Money(long Cents, string Currency);

public readonly struct MoneyCodec : IWireCodec<Money>
{
    public static void Write(WireWriter writer, Money value)
    {
        writer.WriteInt64(value.Cents);
        writer.WriteString(value.Currency);
    }

    public static Money Read(ref WireReader reader) => new(reader.ReadInt64(), reader.ReadString() ?? "");
}

[WireCodec(typeof(BoxCodec<>))]
public sealed record Box<T>(T Value);

public readonly struct BoxCodec<T> : IWireCodec<Box<T>>
{
    public static void Write(WireWriter writer, Box<T> value) => writer.WriteString(value.Value?.ToString());

    public static Box<T> Read(ref WireReader reader) => new((T)(object)(reader.ReadString() ?? ""));
}

public static class CustomCodecWorkers
{
    [Worker]
    public static Money TwiceMoney(Money money) => money with { Cents = money.Cents * 2 };

    [Worker]
    public static Box<string> Shout(Box<string> box) => new(box.Value.ToUpperInvariant());
}

[Collection(SharedPoolDefinition.Name)]
public sealed class CustomCodecTests(SharedPoolFixture fixture)
{
    [Fact]
    public void A_type_with_its_own_codec_crosses_the_boundary_through_it()
    {
        Assert.Equal(new Money(250, "EUR"), fixture.Pool.Apply(CustomCodecWorkers.TwiceMoney, new Money(125, "EUR")));
    }

    [Fact]
    public void An_open_generic_codec_is_closed_over_the_type_arguments()
    {
        Assert.Equal(new Box<string>("HI"), fixture.Pool.Apply(CustomCodecWorkers.Shout, new Box<string>("hi")));
    }
}
