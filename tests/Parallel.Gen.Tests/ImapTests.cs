namespace ParallelGen.Tests;

[Collection(SharedPoolDefinition.Name)]
public sealed class ImapTests(SharedPoolFixture fixture)
{
    private ProcessPool Pool => fixture.Pool;

    [Fact]
    public async Task Imap_streams_results_in_input_order()
    {
        var seen = new List<long>();
        await foreach (long r in Pool.Imap(W.Square, Enumerable.Range(0, 2_000), chunkSize: 3, cancellationToken: TestContext.Current.CancellationToken))
        {
            seen.Add(r);
        }

        Assert.Equal(Enumerable.Range(0, 2_000).Select(x => (long)x * x), seen);
    }

    [Fact]
    public async Task Imap_keeps_order_even_when_later_items_finish_first()
    {
        int[] delays = [200, 1, 1, 1, 100, 1];
        var seen = new List<int>();
        await foreach (int r in Pool.Imap(W.Sleep, delays, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
        {
            seen.Add(r);
        }

        Assert.Equal(delays, seen);
    }

    [Fact]
    public async Task ImapUnordered_yields_every_result_once()
    {
        var seen = new List<long>();
        await foreach (long r in Pool.ImapUnordered(W.Square, Enumerable.Range(0, 1_000), chunkSize: 10, cancellationToken: TestContext.Current.CancellationToken))
        {
            seen.Add(r);
        }

        Assert.Equal(Enumerable.Range(0, 1_000).Select(x => (long)x * x).Order(), seen.Order());
    }

    [Fact]
    public async Task ImapUnordered_yields_fast_items_before_slow_ones()
    {
        // A pool of its own: a worker of the shared pool may still be busy with another test's leftovers.
        using var pool = new ProcessPool(processes: 2);
        var seen = new List<int>();
        await foreach (int r in pool.ImapUnordered(W.Sleep, new[] { 1_500, 1 }, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
        {
            seen.Add(r);
        }

        Assert.Equal([1, 1_500], seen);
    }

    [Fact]
    public async Task Fast_items_are_not_queued_behind_a_slow_one_even_after_a_run_of_fast_chunks()
    {
        // A worker that has only seen fast chunks may pipeline; it must stop as soon as what it holds runs long.
        using var pool = new ProcessPool(processes: 2);
        pool.Map(W.Square, Enumerable.Range(0, 2_000), chunkSize: 1);
        var seen = new List<int>();
        await foreach (int r in pool.ImapUnordered(W.Sleep, new[] { 3_000, 1, 1, 1, 1, 1, 1 }, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
        {
            seen.Add(r);
        }

        Assert.Equal(3_000, seen[^1]);
    }

    [Fact]
    public async Task Imap_yields_the_results_before_a_failing_item_then_throws()
    {
        var seen = new List<int>();
        var error = await Assert.ThrowsAsync<WorkerException>(async () =>
        {
            await foreach (int r in Pool.Imap(W.FailOn, Enumerable.Range(0, 10), chunkSize: 2, cancellationToken: TestContext.Current.CancellationToken))
            {
                seen.Add(r);
            }
        });

        Assert.Equal([0, 1, 2], seen);
        Assert.Equal(3, error.ItemIndex);
    }

    [Fact]
    public async Task Breaking_out_of_Imap_early_leaves_the_pool_usable()
    {
        await foreach (long r in Pool.Imap(W.Square, Enumerable.Range(0, 100_000), chunkSize: 10, cancellationToken: TestContext.Current.CancellationToken))
        {
            if (r > 100)
            {
                break;
            }
        }

        Assert.Equal(9, Pool.Apply(W.Add, 4, 5));
    }
}
