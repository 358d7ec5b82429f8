namespace ParallelGen.Tests;

/// <summary>
/// Maps whose arguments and results travel as raw bytes (ints, longs, doubles: <c>Serialization/RawCodec</c>) are serialized,
/// run and decoded a chunk at a time instead of item by item; these check that the bulk paths give the same answers,
/// failures and item indices as the item-by-item ones.
/// </summary>
[Collection(SharedPoolDefinition.Name)]
public sealed class RawValueMapTests(SharedPoolFixture fixture)
{
    private ProcessPool Pool => fixture.Pool;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4_096)]
    [InlineData(null)]
    public void A_map_of_longs_to_doubles_over_an_array_matches_the_serial_answer(int? chunkSize)
    {
        long[] items = [.. Enumerable.Range(0, 10_001).Select(i => ((long)i * 7919) - 40_000_000_000L)];

        double[] halves = Pool.Map(W.Half, items, chunkSize);

        Assert.Equal(items.Select(x => x / 2.0), halves);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(50)]
    [InlineData(null)]
    public void A_failing_item_among_raw_values_is_raised_with_its_index_after_every_item_ran(int? chunkSize)
    {
        int[] items = [.. Enumerable.Range(0, 1_000)];

        var error = Assert.Throws<WorkerException>(() => Pool.Map(W.FailOn, items, chunkSize));

        Assert.Equal(3, error.ItemIndex);
        Assert.Contains("item 3 is not allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imap_over_raw_values_yields_every_result_before_the_failing_item_in_order()
    {
        int[] items = [.. Enumerable.Range(0, 100)];
        var seen = new List<int>();

        var error = await Assert.ThrowsAsync<WorkerException>(async () =>
        {
            await foreach (int r in Pool.Imap(W.FailOnAbove, items, chunkSize: 30, cancellationToken: TestContext.Current.CancellationToken))
            {
                seen.Add(r);
            }
        });

        // Items 0..64 succeed; the chunk of 60..89 fails at 65, so its first five results come before the failure.
        Assert.Equal(65, error.ItemIndex);
        Assert.Equal(Enumerable.Range(0, 65), seen);
    }
}
