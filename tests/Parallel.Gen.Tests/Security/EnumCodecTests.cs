using ParallelGen.Serialization;

namespace ParallelGen.Tests.Security;

/// <summary>The hand-written enum codec refuses what the generated ones refuse: undefined values, and bits no flag defines.</summary>
public sealed class EnumCodecTests
{
    [Flags]
    public enum Access : byte
    {
        None = 0,
        Read = 1,
        Write = 2,
        Execute = 8,
    }

    public enum Color
    {
        Red = 1,
        Green = 2,
    }

    [Fact]
    public void Flags_accept_combinations_of_defined_bits_and_refuse_others()
    {
        Assert.Equal(Access.Read | Access.Execute, RoundTrip(Access.Read | Access.Execute));
        Assert.Equal(Access.None, RoundTrip(Access.None));

        var e = Assert.Throws<WireFormatException>(() => RoundTrip((Access)4));
        Assert.Contains("no flag of enum Access", e.Message, StringComparison.Ordinal);
        Assert.Throws<WireFormatException>(() => RoundTrip((Access)0x81));
    }

    [Fact]
    public void Plain_enums_accept_only_members()
    {
        Assert.Equal(Color.Green, RoundTrip(Color.Green));
        var e = Assert.Throws<WireFormatException>(() => RoundTrip((Color)3));
        Assert.Contains("not a member of enum Color", e.Message, StringComparison.Ordinal);
    }

    private static T RoundTrip<T>(T value)
        where T : unmanaged, Enum
    {
        using var writer = new WireWriter();
        EnumCodec<T>.Write(writer, value);
        var reader = new WireReader(writer.WrittenSpan);
        return EnumCodec<T>.Read(ref reader);
    }
}
