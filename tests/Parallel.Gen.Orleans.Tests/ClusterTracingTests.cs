using System.Diagnostics;
using Orleans.TestingHost;

namespace ParallelGen.ClusterTests;

/// <summary>The caller's trace context travels with each chunk to the silo and on into the silo's worker processes.</summary>
[Collection(SharedClusterDefinition.Name)]
public sealed class ClusterTracingTests(SharedClusterFixture fixture)
{
    private readonly InProcessTestCluster _cluster = fixture.Cluster;

    [Fact]
    public void Worker_processes_behind_the_silos_join_the_callers_trace()
    {
        using var pool = new ClusterPool(_cluster.Client);
        using Activity caller = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();

        string[] traces = pool.Map(ClusterWork.TraceId, Enumerable.Range(0, 8), chunkSize: 2);

        Assert.All(traces, t => Assert.Equal(caller.TraceId.ToHexString(), t));
    }
}
