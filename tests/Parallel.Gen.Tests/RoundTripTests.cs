namespace ParallelGen.Tests;

/// <summary>Every type of the foundation's wire format, through a real worker process and back.</summary>
[Collection(SharedPoolDefinition.Name)]
public sealed class RoundTripTests(SharedPoolFixture fixture)
{
    private ProcessPool Pool => fixture.Pool;

    [Fact]
    public void Strings_in_any_unicode()
    {
        string[] texts = ["", "plain", "héllo wörld", "漢字かな", "emoji 👩‍💻🚀", new string('x', 100_000)];

        Assert.Equal(texts, Pool.Map(W.Text, texts));
    }

    [Fact]
    public void Null_strings_stay_null()
    {
        Assert.Equal(new string?[] { null, "a!" }, Pool.Map(W.MaybeNull, new string?[] { null, "a" }));
    }

    [Fact]
    public void Decimals_keep_scale_and_precision()
    {
        decimal[] values = [0m, 1.10m, -79228162514264337593543950335m / 4, 0.0000000001m];

        Assert.Equal(values.Select(v => v * 2), Pool.Map(W.DoubleDecimal, values));
    }

    [Fact]
    public void Enums_guids_dates_and_times()
    {
        Assert.Equal([Color.Green, Color.Blue, Color.Red], Pool.Map(W.NextColor, [Color.Red, Color.Green, Color.Blue]));

        var id = Guid.NewGuid();
        Assert.Equal(id, Pool.Apply(W.SameGuid, id));

        var utc = new DateTime(2026, 11, 26, 23, 59, 1, DateTimeKind.Utc);
        DateTime next = Pool.Apply(W.Date, utc);
        Assert.Equal(utc.AddDays(1), next);
        Assert.Equal(DateTimeKind.Utc, next.Kind);
        Assert.Equal(DateTimeKind.Local, Pool.Apply(W.Date, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Local)).Kind);

        Assert.Equal(TimeSpan.FromMilliseconds(3), Pool.Apply(W.Twice, TimeSpan.FromMilliseconds(1.5)));
    }

    [Fact]
    public void Nullable_values()
    {
        Assert.Equal([null, 2], Pool.Map(W.NullableIncrement, new int?[] { null, 1 }));
    }

    [Fact]
    public void Arrays_lists_and_tuples()
    {
        Assert.Equal([3, 2, 1], Pool.Apply(W.Reverse, new[] { 1, 2, 3 }));
        Assert.Empty(Pool.Apply(W.Reverse, Array.Empty<int>()));
        Assert.Equal(["A", "BC"], Pool.Apply(W.Upper, new[] { "a", "bc" }));
        Assert.Equal([0.5, 1.5], Pool.Apply(W.Halve, new List<double> { 1, 3 }));
        Assert.Equal((3, "x+y+z"), Pool.Apply(W.Describe, new List<string> { "x", "y", "z" }));
    }

    [Fact]
    public void A_large_byte_array_crosses_intact()
    {
        byte[] data = new byte[8 * 1024 * 1024];
        new Random(42).NextBytes(data);

        Assert.Equal(System.Security.Cryptography.SHA256.HashData(data), Pool.Apply(W.Checksum, data));
    }
}
