using Orleans.TestingHost;

namespace ParallelGen.ClusterTests;

/// <summary>Silos that run chunks in their own process (<c>ParallelGenWorkerOptions.InProcess</c>).</summary>
public sealed class InProcessSiloTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await TestClusters.StartAsync(inProcess: true);

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public void In_process_silos_run_the_same_workers_in_the_silo_process()
    {
        using var pool = new ClusterPool(_cluster.Client);

        (int Pid, int ParentPid, bool IsWorkerProcess)[] runs = pool.Map(ClusterWork.WhoRuns, Enumerable.Range(0, 32), chunkSize: 1);

        Assert.All(runs, r => Assert.Equal((Environment.ProcessId, false), (r.Pid, r.IsWorkerProcess)));
        Assert.Equal(2, pool.ChunksBySilo.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(x => (long)x * x), pool.Map(ClusterWork.Square, Enumerable.Range(0, 1000)));
    }
}
