namespace ParallelGen.Tests;

[Collection(SharedPoolDefinition.Name)]
public sealed class MapTests(SharedPoolFixture fixture)
{
    private ProcessPool Pool => fixture.Pool;

    [Fact]
    public void Map_returns_results_in_input_order()
    {
        long[] squares = Pool.Map(W.Square, Enumerable.Range(0, 20_000));

        Assert.Equal(Enumerable.Range(0, 20_000).Select(x => (long)x * x), squares);
    }

    [Fact]
    public void Map_runs_in_at_least_two_worker_processes_that_are_not_the_parent()
    {
        int[] pids = Pool.Map(W.Pid, Enumerable.Range(0, 400), chunkSize: 1);

        int[] distinct = [.. pids.Distinct()];
        Assert.True(distinct.Length >= 2, $"expected at least 2 worker pids, saw {string.Join(", ", distinct)}");
        Assert.DoesNotContain(Environment.ProcessId, distinct);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public void Map_honours_any_chunk_size(int chunkSize)
    {
        long[] squares = Pool.Map(W.Square, Enumerable.Range(0, 1_000), chunkSize);

        Assert.Equal(Enumerable.Range(0, 1_000).Select(x => (long)x * x), squares);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(333)]
    [InlineData(100_000)]
    [InlineData(null)]
    public void Map_of_an_array_keeps_order_across_chunks_that_do_not_divide_it(int? chunkSize)
    {
        // Arrays are serialized from a span (FrontEnd/ChunkSource), everything else through its enumerator.
        int[] items = [.. Enumerable.Range(0, 1_001).Select(x => x * 3 - 700)];

        long[] squares = Pool.Map(W.Square, items, chunkSize);

        Assert.Equal(items.Select(x => (long)x * x), squares);
    }

    [Fact]
    public void Map_over_a_lazy_sequence_of_unknown_length_keeps_order()
    {
        static IEnumerable<int> Lazy()
        {
            for (int i = 0; i < 5_000; i++)
            {
                yield return i;
            }
        }

        long[] squares = Pool.Map(W.Square, Lazy());

        Assert.Equal(Enumerable.Range(0, 5_000).Select(x => (long)x * x), squares);
    }

    [Fact]
    public void Map_of_nothing_is_empty()
    {
        Assert.Empty(Pool.Map(W.Square, Array.Empty<int>()));
    }

    [Fact]
    public async Task MapAsync_returns_ordered_results()
    {
        int[] xs = [.. Enumerable.Range(0, 3_000)];

        long[] squares = await Pool.MapAsync(W.Square, xs, chunkSize: 100, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(xs.Select(x => (long)x * x), squares);
    }

    [Fact]
    public void Map_of_an_async_worker_awaits_it_in_the_worker()
    {
        int[] values = Pool.Map(W.FetchAsync, Enumerable.Range(0, 50));

        Assert.Equal(Enumerable.Range(0, 50), values);
    }

    [Fact]
    public void StarMap_spreads_each_tuple_over_the_parameters()
    {
        int[] sums = Pool.StarMap(W.Add, new[] { (1, 2), (3, 4), (10, -10) });

        Assert.Equal([3, 7, 0], sums);
    }

    [Fact]
    public void StarMap_takes_up_to_eight_arguments()
    {
        int[] sums = Pool.StarMap(W.Sum8, new[] { (1, 2, 3, 4, 5, 6, 7, 8), (0, 0, 0, 0, 0, 0, 0, 1) });

        Assert.Equal([36, 1], sums);
    }

    [Fact]
    public async Task StarMapAsync_returns_ordered_results()
    {
        var pairs = Enumerable.Range(0, 500).Select(i => (i, i)).ToArray();

        int[] sums = await Pool.StarMapAsync(W.Add, pairs, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(pairs.Select(p => p.Item1 * 2), sums);
    }

    [Fact]
    public void Invalid_chunk_size_is_rejected_at_the_call()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pool.Map(W.Square, [1, 2, 3], chunkSize: 0));

        Assert.Equal("chunkSize", error.ParamName);
    }

    [Fact]
    public async Task A_cancelled_token_stops_MapAsync()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Pool.MapAsync(W.Square, Enumerable.Range(0, 1000), cancellationToken: cts.Token));
    }

    [Fact]
    public void An_exception_from_the_input_sequence_surfaces_as_itself_and_the_pool_stays_usable()
    {
        static IEnumerable<int> Broken()
        {
            yield return 1;
            yield return 2;
            throw new FormatException("bad input");
        }

        Assert.Throws<FormatException>(() => Pool.Map(W.Square, Broken()));

        Assert.Equal([4L], Pool.Map(W.Square, [2]));
    }
}
