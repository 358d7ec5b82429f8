using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ParallelGen.Tests.Ecosystem;

/// <summary>services.AddProcessPool: a singleton pool whose workers start with the host and drain when it stops.</summary>
public sealed class HostingTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_pool_starts_with_the_host_and_its_workers_exit_when_the_host_stops()
    {
        var logger = new TestLogger();
        using IHost host = Build(o =>
        {
            o.Processes = 2;
            o.Logger = logger;
        });
        await host.StartAsync(TestContext.Current.CancellationToken);
        ProcessPool pool = host.Services.GetRequiredService<ProcessPool>();

        // Started by the host, before any call.
        await logger.WaitForAsync(e => e.EventName == "WorkerStarted" && (int)e.Fields["WorkerIndex"]! == 1);
        Assert.Same(pool, host.Services.GetRequiredService<WorkerPool>());
        Assert.Equal(2, pool.Processes);
        Assert.Equal([0L, 1L, 4L, 9L], pool.Map(W.Square, [0, 1, 2, 3]));
        int[] pids = [.. pool.WorkerProcessIds];

        await host.StopAsync(TestContext.Current.CancellationToken);

        ProcessAssert.AllExited(pids, Generous);
        Assert.Throws<ObjectDisposedException>(() => pool.Map(W.Square, [1]));
    }

    [Fact]
    public async Task A_call_in_flight_at_shutdown_finishes()
    {
        using IHost host = Build(o => o.Processes = 1);
        await host.StartAsync(TestContext.Current.CancellationToken);
        ProcessPool pool = host.Services.GetRequiredService<ProcessPool>();

        Task<int> slow = pool.ApplyAsync(E.SleepThenReturn, 300, TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(300, await slow);
    }

    [Fact]
    public async Task The_hosts_shutdown_timeout_cancels_what_still_runs()
    {
        using IHost host = Build(o => o.Processes = 1, shutdownTimeout: TimeSpan.FromMilliseconds(300));
        await host.StartAsync(TestContext.Current.CancellationToken);
        ProcessPool pool = host.Services.GetRequiredService<ProcessPool>();
        Task<int> endless = pool.ApplyAsync(E.SleepThenReturn, 600_000, TestContext.Current.CancellationToken);

        await host.StopAsync(CancellationToken.None).WaitAsync(Generous, TestContext.Current.CancellationToken);

        await Assert.ThrowsAnyAsync<Exception>(() => endless.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.False(endless.IsCompletedSuccessfully);
    }

    [Fact]
    public void The_pool_logs_through_the_hosts_logger_factory()
    {
        var provider = new CapturingProvider();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(provider).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddProcessPool(o => o.Processes = 1);
        using IHost host = builder.Build();

        ProcessPool pool = host.Services.GetRequiredService<ProcessPool>();
        pool.Map(W.Square, [1]);
        pool.Dispose();

        Assert.Contains(ProcessPoolServiceCollectionExtensions.LoggerCategory, provider.Categories);
    }

    private static IHost Build(Action<ProcessPoolOptions> configure, TimeSpan? shutdownTimeout = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddProcessPool(configure);
        if (shutdownTimeout is { } timeout)
        {
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = timeout);
        }

        return builder.Build();
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<string> _categories = [];

        public IReadOnlyCollection<string> Categories => _categories;

        public ILogger CreateLogger(string categoryName)
        {
            _categories.Add(categoryName);
            return new TestLogger();
        }

        public void Dispose()
        {
        }
    }
}
