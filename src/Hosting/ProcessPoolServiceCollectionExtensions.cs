using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ParallelGen;
using ParallelGen.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a Parallel.Gen <see cref="ProcessPool"/> with the generic host (<c>builder.Services.AddProcessPool(...)</c>).</summary>
public static class ProcessPoolServiceCollectionExtensions
{
    /// <summary>The log category of the pool's worker events when <see cref="ProcessPoolOptions.Logger"/> is left unset.</summary>
    public const string LoggerCategory = "ParallelGen.ProcessPool";

    /// <summary>
    /// Registers one <see cref="ProcessPool"/> (also as <see cref="WorkerPool"/>) as a singleton whose worker processes start
    /// when the host starts and drain when it stops: in-flight calls finish, or are cancelled when the host's shutdown timeout
    /// runs out, then the workers are stopped. The pool logs through the host's <see cref="ILoggerFactory"/> (category
    /// <see cref="LoggerCategory"/>) unless <paramref name="configure"/> sets <see cref="ProcessPoolOptions.Logger"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the pool's options, e.g. <c>o => o.Processes = 2</c>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddProcessPool(this IServiceCollection services, Action<ProcessPoolOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider =>
        {
            var options = new ProcessPoolOptions();
            configure?.Invoke(options);
            options.Logger ??= provider.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory);
            return new ProcessPool(options);
        });
        services.TryAddSingleton<WorkerPool>(static provider => provider.GetRequiredService<ProcessPool>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ProcessPoolHostedService>());
        return services;
    }
}
