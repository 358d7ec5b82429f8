using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ParallelGen.Brokering.Client;
using ParallelGen.Transport;

namespace ParallelGen.Brokering.Queues;

/// <summary>
/// The fast path of a Get or Receive on an object this process hosts: the item is taken from the object itself, under its
/// lock, instead of going through a request, a reply and a task per item. When nothing is there, a blocking take spins a
/// little (only as <see cref="SpinPolicy"/> and <see cref="SpinGate"/> allow) before it falls back to the request path, which
/// parks the wait at the object exactly as before: so ordering, timeouts, cancellation, completion and end of stream keep
/// every promise of that path, and an item that a parked waiter (of any process) is owed never sits where this path looks.
/// </summary>
/// <remarks><c>PARALLELGEN_BROKER_LOCAL_TAKE=0</c> turns the fast path off (every take is a request), for A/B runs.</remarks>
internal sealed class LocalTaker
{
    /// <summary>Whether local takes skip the request path (on unless <c>PARALLELGEN_BROKER_LOCAL_TAKE=0</c>).</summary>
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("PARALLELGEN_BROKER_LOCAL_TAKE") != "0";

    private readonly ILocalSource _source;
    private readonly int _end;

    // Learns how long this taker's waits are; shared by the threads taking through one proxy, a heuristic that a race only nudges.
    private readonly SpinPolicy _spin = new();

    private LocalTaker(ILocalSource source, int end)
    {
        _source = source;
        _end = end;
    }

    /// <summary>The taker for end <paramref name="end"/> of the object <paramref name="handle"/> names, when this process hosts it and the fast path is on.</summary>
    public static LocalTaker? For(BrokerHandle handle, int end) =>
        Enabled && handle.Remote is null && LocalBroker.Server.Find(handle.Id) is ILocalSource source ? new LocalTaker(source, end) : null;

    /// <summary>
    /// Takes an item that is there now; when <paramref name="wait"/>, first spins briefly for one. <see langword="false"/>: take
    /// through the request path, then pass <paramref name="waitStart"/> to <see cref="Observe"/> (0 when it was not a wait).
    /// </summary>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryTake(bool wait, CancellationToken cancellationToken, [NotNullWhen(true)] out byte[]? item, out long waitStart)
    {
        waitStart = 0;
        if (_source.TryTakeNow(_end, out item))
        {
            return true;
        }

        if (!wait || cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        long start = Stopwatch.GetTimestamp();
        waitStart = start;
        long budget = _spin.NextBudget();
        if (budget == 0 || !SpinGate.TryEnter())
        {
            return false;
        }

        try
        {
            while (!_source.IsReady(_end))
            {
                if (Stopwatch.GetTimestamp() - start > budget || cancellationToken.IsCancellationRequested)
                {
                    return false;
                }

                Thread.SpinWait(16);
            }
        }
        finally
        {
            SpinGate.Leave();
        }

        if (_source.TryTakeNow(_end, out item))
        {
            _spin.Observe(Stopwatch.GetTimestamp() - start);
            return true;
        }

        // Ready with an ending (completed, closed): the request path says which.
        return false;
    }

    /// <summary>A wait that went on through the request path ended: learn how long the whole wait was.</summary>
    public void Observe(long waitStart)
    {
        if (waitStart != 0)
        {
            _spin.Observe(Stopwatch.GetTimestamp() - waitStart);
        }
    }
}
