using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ParallelGen.Hosting;

/// <summary>
/// Ties the registered <see cref="ProcessPool"/> to the host's lifetime: resolving it at start starts the workers with the
/// host (not at the first request); at stop, the pool stops taking work, outstanding calls finish within the host's
/// shutdown timeout, and whatever still runs then is terminated.
/// </summary>
internal sealed class ProcessPoolHostedService(IServiceProvider services) : IHostedService
{
    private ProcessPool? _pool;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pool = services.GetRequiredService<ProcessPool>();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_pool is not { } pool)
        {
            return;
        }

        pool.Close();
        try
        {
            await pool.JoinAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out: cancel what still runs rather than hold the process open.
            pool.Terminate();
        }

        await pool.DisposeAsync().ConfigureAwait(false);
    }
}
