using Orleans.Runtime;

namespace ParallelGen.Cluster;

/// <summary>
/// One active silo as a <see cref="ClusterExecutor"/> sees it: where to send chunks (a grain key of its own, placed there by
/// Orleans' placement hint), how busy it is, and a token that fires when Orleans' membership no longer lists it.
/// </summary>
internal sealed class SiloTarget(SiloAddress address) : IDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private int _inFlight;
    private int _concurrency;
    private bool _draining;

    public SiloAddress Address { get; } = address;

    public string Name { get; } = address.ToString();

    /// <summary>
    /// The stateless worker key that lives on this silo. Derived from the silo's address (which includes its generation), so
    /// every client picks the same key for the same silo and a restarted silo gets a new one: a gateway that cached the
    /// key's location never sends it to another silo.
    /// </summary>
    public long GrainKey { get; } = ((long)address.GetConsistentHashCode() << 1) | 1;

    /// <summary>Cancelled when the silo left the cluster: calls still waiting for it give up and their chunks run elsewhere.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>The silo is shutting down: it takes no new chunks but still finishes the ones it holds.</summary>
    public bool IsDraining
    {
        get => Volatile.Read(ref _draining);
        set => Volatile.Write(ref _draining, value);
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>How many chunks the silo runs at once, as it reported (0 until its first reply).</summary>
    public int Concurrency
    {
        get => Volatile.Read(ref _concurrency);
        set => Volatile.Write(ref _concurrency, value);
    }

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    public void MarkLost()
    {
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _lost.Dispose();
}
