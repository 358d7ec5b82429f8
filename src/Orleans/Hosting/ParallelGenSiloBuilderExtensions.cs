using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using ParallelGen;
using ParallelGen.Cluster;

namespace Orleans.Hosting;

/// <summary>Makes a silo run Parallel.Gen [Worker] chunks for <see cref="ClusterPool"/>s.</summary>
public static class ParallelGenSiloBuilderExtensions
{
    /// <summary>
    /// Hosts the stateless worker grain that runs chunks of [Worker] methods by their generated ids, with the generated
    /// dispatch table of this silo's program (so the silo's program must declare or reference the workers clients call).
    /// By default the silo starts its own <see cref="ProcessPool"/> with the silo and runs chunks there; see
    /// <see cref="ParallelGenWorkerOptions"/> for its size and for in-process execution.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.UseOrleans(silo => silo.UseLocalhostClustering().AddParallelGenWorkers(o => o.ProcessPool.Processes = 4));
    /// </code>
    /// </example>
    public static ISiloBuilder AddParallelGenWorkers(this ISiloBuilder builder, Action<ParallelGenWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<ParallelGenWorkerOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        // Calling this twice configures twice but registers the runner once.
        if (services.Any(static d => d.ServiceType == typeof(SiloChunkRunner)))
        {
            return builder;
        }

        services.AddSingleton<SiloChunkRunner>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(static sp => sp.GetRequiredService<SiloChunkRunner>());

        // The grain and its messages, even when the silo's program does not reference this assembly's types directly.
        services.AddSerializer(serializer => serializer.AddAssembly(typeof(IChunkGrain).Assembly));
        return builder;
    }
}
