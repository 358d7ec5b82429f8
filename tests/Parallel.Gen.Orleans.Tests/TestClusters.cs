using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace ParallelGen.ClusterTests;

/// <summary>Starts Orleans test clusters whose silos run Parallel.Gen workers.</summary>
public static class TestClusters
{
    /// <summary>Set before any test silo starts: worker processes inherit their silo's environment.</summary>
    public const string SiloVariable = "PARALLELGEN_TEST_SILO_VARIABLE";

    /// <summary>
    /// Two silos (in this process, talking over Orleans' in-memory transport), each with its own <see cref="ProcessPool"/>
    /// of <paramref name="processesPerSilo"/> worker processes started from this test executable, or running chunks in-process.
    /// Liveness is tightened so that a killed silo is declared dead in seconds, not the production default.
    /// </summary>
    public static async Task<InProcessTestCluster> StartAsync(bool inProcess = false, int processesPerSilo = 1)
    {
        Environment.SetEnvironmentVariable(SiloVariable, "set-in-the-silo-process");
        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddParallelGenWorkers(o =>
            {
                o.InProcess = inProcess;
                o.InProcessConcurrency = 2;
                o.ProcessPool.Processes = processesPerSilo;
            });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 1;
                o.NumVotesForDeathDeclaration = 1;
            });
        });
        InProcessTestCluster cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }
}

/// <summary>One two-silo cluster (one worker process per silo) for the tests that don't stop silos.</summary>
public sealed class SharedClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Cluster = await TestClusters.StartAsync();

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SharedClusterDefinition : ICollectionFixture<SharedClusterFixture>
{
    public const string Name = "shared cluster";
}
