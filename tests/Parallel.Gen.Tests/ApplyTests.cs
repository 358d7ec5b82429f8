namespace ParallelGen.Tests;

[Collection(SharedPoolDefinition.Name)]
public sealed class ApplyTests(SharedPoolFixture fixture)
{
    private ProcessPool Pool => fixture.Pool;

    [Fact]
    public void Apply_returns_the_workers_result()
    {
        Assert.Equal(3, Pool.Apply(W.Add, 1, 2));
    }

    [Fact]
    public async Task ApplyAsync_returns_the_workers_result()
    {
        Assert.Equal(42, await Pool.ApplyAsync(W.Add, 40, 2, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ApplyAsync_with_no_arguments_and_an_async_worker()
    {
        var context = await Pool.ApplyAsync(W.Context, TestContext.Current.CancellationToken);
        string echo = await Pool.ApplyAsync(W.EchoAsync, "héllo ✓", TestContext.Current.CancellationToken);

        Assert.True(context.IsWorker);
        Assert.Equal("héllo ✓", echo);
    }

    [Fact]
    public async Task Many_concurrent_ApplyAsync_calls_each_get_their_own_result()
    {
        Task<int>[] calls = [.. Enumerable.Range(0, 200).Select(i => Task.Run(() => Pool.ApplyAsync(W.Add, i, 1000)))];

        int[] results = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(1000, 200), results);
    }

    [Fact]
    public async Task Cancelling_a_waiting_ApplyAsync_throws_OperationCanceledException_promptly()
    {
        // A pool of its own, so the abandoned sleep does not hold up the shared pool's other tests.
        using var pool = new ProcessPool(processes: 1);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pool.ApplyAsync(W.Sleep, 3_000, cts.Token));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"cancellation took {started.Elapsed}");
    }
}
