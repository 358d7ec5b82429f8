using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.TestingHost;

namespace ParallelGen.ClusterTests;

/// <summary>The pool API on a two-silo cluster: the same calls and the same answers as a local ProcessPool.</summary>
[Collection(SharedClusterDefinition.Name)]
public sealed class ClusterPoolTests(SharedClusterFixture fixture)
{
    private readonly InProcessTestCluster _cluster = fixture.Cluster;

    [Fact]
    public void Map_returns_every_result_in_input_order()
    {
        using var pool = new ClusterPool(_cluster.Client);
        int[] items = [.. Enumerable.Range(0, 10_000)];

        long[] squares = pool.Map(ClusterWork.Square, items, chunkSize: 250);

        Assert.Equal(items.Select(x => (long)x * x), squares);
    }

    [Fact]
    public async Task Every_pool_method_runs_on_the_cluster()
    {
        using var pool = new ClusterPool(_cluster.Client);
        CancellationToken ct = TestContext.Current.CancellationToken;
        int[] items = [.. Enumerable.Range(0, 200)];

        Assert.Equal(new[] { 3, 7, 11 }, pool.StarMap(ClusterWork.Add, [(1, 2), (3, 4), (5, 6)]));
        Assert.Equal(42, pool.Apply(ClusterWork.Add, 40, 2));
        Assert.Equal(5, await pool.ApplyAsync(ClusterWork.Add, 2, 3, ct));
        Assert.Equal(items, await pool.MapAsync(ClusterWork.EchoAsync, items, chunkSize: 16, cancellationToken: ct));
        Assert.Equal(new[] { 7, 11 }, await pool.StarMapAsync(ClusterWork.Add, [(3, 4), (5, 6)], cancellationToken: ct));

        var ordered = new List<long>();
        await foreach (long square in pool.Imap(ClusterWork.Square, items, chunkSize: 10, cancellationToken: ct))
        {
            ordered.Add(square);
        }

        var unordered = new List<long>();
        await foreach (long square in pool.ImapUnordered(ClusterWork.Square, items, chunkSize: 10, cancellationToken: ct))
        {
            unordered.Add(square);
        }

        Assert.Equal(items.Select(x => (long)x * x), ordered);
        Assert.Equal(items.Select(x => (long)x * x), unordered.Order());
    }

    [Fact]
    public void Work_spreads_over_both_silos_and_runs_in_their_worker_processes()
    {
        using var pool = new ClusterPool(_cluster.Client);

        (int Pid, int ParentPid, bool IsWorkerProcess)[] runs = pool.Map(ClusterWork.WhoRuns, Enumerable.Range(0, 64), chunkSize: 1);

        Assert.Equal(2, pool.ChunksBySilo.Count);
        Assert.Equal(64, pool.ChunksBySilo.Values.Sum());
        Assert.All(runs, r => Assert.True(r.IsWorkerProcess));

        // Test silos live in this process: their worker processes are its children, one per silo.
        Assert.All(runs, r => Assert.Equal(Environment.ProcessId, r.ParentPid));
        Assert.Equal(2, runs.Select(r => r.Pid).Distinct().Count());
    }

    [Fact]
    public void A_pool_made_inside_a_silo_from_its_grain_factory_spreads_over_the_cluster_too()
    {
        // Orleans places a stateless worker called from a silo on that silo; the pool's placement hints send chunks to both.
        IGrainFactory siloGrains = _cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
        using var pool = new ClusterPool(siloGrains);

        long[] squares = pool.Map(ClusterWork.Square, Enumerable.Range(0, 400), chunkSize: 10);

        Assert.Equal(Enumerable.Range(0, 400).Select(x => (long)x * x), squares);
        Assert.Equal(2, pool.ChunksBySilo.Count);
    }

    [Fact]
    public void A_worker_sees_its_silos_environment()
    {
        using var pool = new ClusterPool(_cluster.Client);

        Assert.Equal("set-in-the-silo-process", pool.Apply(ClusterWork.ReadVariable, TestClusters.SiloVariable));
    }

    [Fact]
    public void A_worker_exception_reaches_the_caller_as_WorkerException_and_the_pool_carries_on()
    {
        using var pool = new ClusterPool(_cluster.Client);

        WorkerException e = Assert.Throws<WorkerException>(() => pool.Map(ClusterWork.FailOn13, Enumerable.Range(0, 100), chunkSize: 7));

        Assert.Equal(typeof(InvalidOperationException).FullName, e.RemoteTypeName);
        Assert.Equal(13, e.ItemIndex);
        Assert.Contains("item 13 is unlucky", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ClusterWork.FailOn13), e.RemoteStackTrace, StringComparison.Ordinal);
        Assert.Equal(new[] { 1, 2, 3 }, pool.Map(ClusterWork.FailOn13, [1, 2, 3]));
    }

    [Fact]
    public void A_worker_process_that_dies_on_a_silo_fails_only_its_chunk()
    {
        using var pool = new ClusterPool(_cluster.Client);

        WorkerCrashedException e = Assert.Throws<WorkerCrashedException>(() => pool.Apply(ClusterWork.Crash, 3));

        Assert.Equal(3, e.ExitCode);
        Assert.Contains("on silo", e.Message, StringComparison.Ordinal);

        // The silo replaced its worker: the next calls run as usual.
        Assert.Equal(Enumerable.Range(0, 50).Select(x => (long)x * x), pool.Map(ClusterWork.Square, Enumerable.Range(0, 50), chunkSize: 5));
    }

    [Fact]
    public void Big_inputs_travel_as_several_messages_below_the_byte_budget()
    {
        using var pool = new ClusterPool(_cluster.Client, new ClusterPoolOptions { MaxChunkBytes = 256 * 1024 });
        string[] texts = [.. Enumerable.Range(0, 20).Select(i => new string((char)('a' + i), 100_000))];

        int[] lengths = pool.Map(ClusterWork.Length, texts, chunkSize: 20);

        Assert.All(lengths, n => Assert.Equal(100_000, n));

        // 100 kB items under a 256 kB budget: a chunk closes after its third item, so 20 items take 7 messages.
        Assert.Equal(7, pool.ChunksBySilo.Values.Sum());
    }

    [Fact]
    public void An_item_too_big_for_one_message_fails_its_chunk_with_a_clear_error_and_the_pool_carries_on()
    {
        using var pool = new ClusterPool(_cluster.Client, new ClusterPoolOptions { MaxChunkBytes = 1024, MaxMessageBytes = 4096 });

        var e = Assert.Throws<InvalidOperationException>(() => pool.Map(ClusterWork.Length, ["short", new string('x', 10_000), "short"]));

        Assert.Contains("ClusterPoolOptions.MaxMessageBytes", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ClusterWork.Length), e.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { 5, 6 }, pool.Map(ClusterWork.Length, ["short", "longer"]));
    }

    [Fact]
    public void Options_out_of_range_are_refused_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterPool(_cluster.Client, new ClusterPoolOptions { Concurrency = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterPool(_cluster.Client, new ClusterPoolOptions { SiloLossRetries = -1 }));
        Assert.Throws<ArgumentNullException>(() => new ClusterPool((IClusterClient)null!));
    }
}
