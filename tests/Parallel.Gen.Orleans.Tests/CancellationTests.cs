using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ParallelGen.Cluster;

namespace ParallelGen.ClusterTests;

/// <summary>Cancelling a call on the client reaches the silo that holds its chunk.</summary>
[Collection(SharedClusterDefinition.Name)]
public sealed class CancellationTests(SharedClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly InProcessTestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Cancelling_a_call_reaches_the_silo_running_its_chunk()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelledOnSilo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SiloChunkRunner[] runners = [.. _cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<SiloChunkRunner>())];
        foreach (SiloChunkRunner runner in runners)
        {
            runner.ChunkStarted = () => started.TrySetResult();
            runner.ChunkCancelled = () => cancelledOnSilo.TrySetResult();
        }

        try
        {
            using var pool = new ClusterPool(_cluster.Client);
            using var cts = new CancellationTokenSource();
            Task<int> call = pool.ApplyAsync(ClusterWork.Sleep, 3_000, cts.Token);
            await started.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);

            await cts.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            await cancelledOnSilo.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        }
        finally
        {
            foreach (SiloChunkRunner runner in runners)
            {
                runner.ChunkStarted = null;
                runner.ChunkCancelled = null;
            }
        }
    }
}
