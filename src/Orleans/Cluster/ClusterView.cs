using Orleans;
using Orleans.Runtime;

namespace ParallelGen.Cluster;

/// <summary>
/// The silos a <see cref="ClusterExecutor"/> sends chunks to, as Orleans' membership reports them (the management grain's
/// list of silos and their status), refreshed every second while chunks are in flight and at once when a call loses its silo.
/// </summary>
/// <remarks>
/// Why watch membership at all: an Orleans client keeps waiting for the response to a call whose gateway died until the
/// call's response timeout, and a chunk may legitimately run for hours. Knowing which silo holds which chunk, the pool
/// can give up on exactly the chunks of a silo that left and run them elsewhere.
/// </remarks>
internal sealed class ClusterView : IAsyncDisposable
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly IManagementGrain _management;
    private readonly Func<bool> _busy;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _watching;
    private SiloTarget[] _silos = [];
    private Task? _refreshing;
    private int _next;

    /// <param name="grains">Where to find the management grain.</param>
    /// <param name="busy">Whether chunks are in flight: an idle pool does not poll.</param>
    public ClusterView(IGrainFactory grains, Func<bool> busy)
    {
        _management = grains.GetGrain<IManagementGrain>(0);
        _busy = busy;
        Ready = RefreshAsync();
        _watching = WatchAsync();
    }

    /// <summary>Completes once the first list of silos arrived (or could not be had).</summary>
    public Task Ready { get; }

    public IReadOnlyList<SiloTarget> Silos => Volatile.Read(ref _silos);

    /// <summary>The silo with the most free capacity (fewest chunks in flight per worker), round-robin among equals; <see langword="null"/> when none is known.</summary>
    public SiloTarget? Pick()
    {
        SiloTarget[] silos = Volatile.Read(ref _silos);
        if (silos.Length == 0)
        {
            return null;
        }

        int start = (int)((uint)Interlocked.Increment(ref _next) % (uint)silos.Length);
        SiloTarget? best = null;
        double bestLoad = double.MaxValue;
        for (int i = 0; i < silos.Length; i++)
        {
            SiloTarget silo = silos[(start + i) % silos.Length];
            if (silo.IsLost || silo.IsDraining)
            {
                continue;
            }

            double load = (silo.InFlight + 1.0) / Math.Max(1, silo.Concurrency);
            if (load < bestLoad)
            {
                best = silo;
                bestLoad = load;
            }
        }

        return best;
    }

    public void Report(string silo, int concurrency)
    {
        foreach (SiloTarget target in Volatile.Read(ref _silos))
        {
            if (target.Name == silo)
            {
                target.Concurrency = concurrency;
                return;
            }
        }
    }

    /// <summary>Asks membership again now (a call just lost its silo); concurrent requests share one query.</summary>
    public Task RefreshAsync()
    {
        lock (_gate)
        {
            if (_refreshing is { IsCompleted: false } running)
            {
                return running;
            }

            return _refreshing = QueryAsync();
        }
    }

    private async Task QueryAsync()
    {
        Dictionary<SiloAddress, SiloStatus> hosts;
        try
        {
            hosts = await _management.GetHosts(onlyActive: false).WaitAsync(QueryTimeout, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            // The silo answering for the management grain may be the one that just died: keep the last view and ask again soon.
            return;
        }

        // Active silos take chunks. A silo shutting down takes none but finishes what it holds; a dead one (or one membership
        // forgot) holds nothing any more, so its calls are given up.
        SiloTarget[] current = Volatile.Read(ref _silos);
        var next = new List<SiloTarget>(hosts.Count);
        foreach ((SiloAddress address, SiloStatus status) in hosts)
        {
            SiloTarget? known = Array.Find(current, s => s.Address.Equals(address));
            if (status == SiloStatus.Active)
            {
                next.Add(known ?? new SiloTarget(address));
            }
            else if (known is not null && status is SiloStatus.ShuttingDown or SiloStatus.Stopping)
            {
                known.IsDraining = true;
                next.Add(known);
            }
        }

        Volatile.Write(ref _silos, [.. next]);
        foreach (SiloTarget gone in current)
        {
            if (!next.Contains(gone))
            {
                gone.MarkLost();
            }
        }
    }

    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(WatchInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (_busy())
                {
                    await RefreshAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        Task? refreshing;
        lock (_gate)
        {
            refreshing = _refreshing;
        }

        if (refreshing is not null)
        {
            await refreshing.ConfigureAwait(false);
        }

        foreach (SiloTarget silo in Volatile.Read(ref _silos))
        {
            silo.Dispose();
        }

        _stop.Dispose();
    }
}
