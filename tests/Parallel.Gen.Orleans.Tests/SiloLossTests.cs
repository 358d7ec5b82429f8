using Orleans.TestingHost;

namespace ParallelGen.ClusterTests;

/// <summary>
/// A silo that goes away during a map: only the chunks it held are affected, and they are sent again to the silo that is
/// left (at-least-once). The map completes with every result, in order.
/// </summary>
public sealed class SiloLossTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await TestClusters.StartAsync();

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_silo_killed_mid_map_loses_only_its_chunks_and_they_run_on_the_other_silo()
    {
        using var pool = new ClusterPool(_cluster.Client);
        InProcessSiloHandle victim = _cluster.Silos[1];
        int[] items = [.. Enumerable.Range(0, 60).Select(i => 50 + i)];

        var results = new List<int>();
        await foreach (int value in pool.Imap(ClusterWork.Sleep, items, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
        {
            results.Add(value);
            if (results.Count == 6)
            {
                // Every silo holds chunks now (the pool keeps them all busy); kill one without letting it finish anything.
                Assert.Equal(2, pool.ChunksBySilo.Count);
#pragma warning disable xUnit1051 // The test cluster offers no overload that takes a token; the analyzer sees the silo handle's.
                await _cluster.KillSiloAsync(victim);
#pragma warning restore xUnit1051
            }
        }

        Assert.Equal(items, results);
        Assert.True(pool.SiloLossRetries > 0, "the killed silo held chunks; they should have been sent again");
        Assert.True(pool.ChunksBySilo[victim.SiloAddress.ToString()] < items.Length / 2, "the killed silo should have stopped answering");
    }

    [Fact]
    public async Task A_silo_stopped_gracefully_mid_map_finishes_what_it_holds_and_the_map_completes()
    {
        using var pool = new ClusterPool(_cluster.Client);
        InProcessSiloHandle leaving = _cluster.Silos[1];
        int[] items = [.. Enumerable.Range(0, 60).Select(i => 50 + i)];

        var results = new List<int>();
        Task? stopping = null;
        await foreach (int value in pool.Imap(ClusterWork.Sleep, items, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
        {
            results.Add(value);
            if (results.Count == 6)
            {
#pragma warning disable xUnit1051 // As above.
                stopping = _cluster.StopSiloAsync(leaving);
#pragma warning restore xUnit1051
            }
        }

        await stopping!;
        Assert.Equal(items, results);
        Assert.Equal(items.Length, pool.ChunksBySilo.Values.Sum());
    }
}
