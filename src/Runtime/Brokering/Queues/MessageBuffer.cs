using System.Runtime.CompilerServices;
using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Queues;

/// <summary>
/// Items waiting for a taker and takers waiting for an item, first come first served. Not
/// thread-safe: its owner's lock guards it. An item whose taker turns out to be unreachable is
/// kept for the next one, never lost.
/// </summary>
/// <remarks>
/// Items sit here only while nobody waits (an arriving item goes straight to the oldest waiter), so a taker that finds an
/// item (<see cref="TryTake"/>) never takes one a parked waiter was owed. <see cref="Available"/> may be read without the
/// lock, as a hint for a taker deciding whether to spin a little longer; taking always happens under the lock.
/// </remarks>
internal sealed class MessageBuffer
{
    // A ring-backed queue: no allocation per item once it has grown, unlike a linked list's node per item.
    private readonly Queue<byte[]> _items = new();
    private readonly LinkedList<BrokerReply> _waiters = new();
    private int _available;

    public int Count => _items.Count;

    /// <summary>How many items wait, readable without the owner's lock (a hint: it may change the next moment).</summary>
    public int Available => Volatile.Read(ref _available);

    // The list itself, not an IEnumerable: a foreach over it then allocates no enumerator (a pipe checks it on every send).
    public LinkedList<BrokerReply> Waiters => _waiters;

    public bool HasWaiters => _waiters.Count > 0;

    /// <summary>Hands <paramref name="item"/> to the oldest waiter that can take it, else keeps it.</summary>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Offer(byte[] item)
    {
        while (_waiters.First is { } node)
        {
            _waiters.RemoveFirst();
            BrokerReply waiter = node.Value;
            if (waiter.TryComplete(BrokerStatus.Ok, item))
            {
                waiter.Caller.ForgetWait(waiter.RequestId);
                return;
            }
        }

        _items.Enqueue(item);
        Volatile.Write(ref _available, _items.Count);
    }

    /// <summary>Answers <paramref name="reply"/> with the oldest item; <see langword="false"/> when there is none.</summary>
    public bool TryAnswer(BrokerReply reply)
    {
        if (!_items.TryPeek(out byte[]? item))
        {
            return false;
        }

        // Taken only once the answer went out: an unreachable taker leaves it first in line.
        if (reply.TryComplete(BrokerStatus.Ok, item))
        {
            _items.Dequeue();
            Volatile.Write(ref _available, _items.Count);
        }

        return true;
    }

    /// <summary>Takes the oldest item for a taker in this process (no reply to send); <see langword="false"/> when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? item)
    {
        if (!_items.TryDequeue(out item))
        {
            return false;
        }

        Volatile.Write(ref _available, _items.Count);
        return true;
    }

    public void Wait(BrokerReply reply) => _waiters.AddLast(reply);

    public bool Remove(BrokerReply reply) => _waiters.Remove(reply);

    /// <summary>Removes and returns every waiter (to fail them).</summary>
    public List<BrokerReply> TakeWaiters()
    {
        List<BrokerReply> all = [.. _waiters];
        _waiters.Clear();
        return all;
    }
}
