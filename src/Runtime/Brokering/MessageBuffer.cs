namespace ParallelGen.Brokering;

/// <summary>
/// Items waiting for a taker and takers waiting for an item, first come first served. Not
/// thread-safe: its owner's lock guards it. An item whose taker turns out to be unreachable is
/// kept for the next one, never lost.
/// </summary>
internal sealed class MessageBuffer
{
    private readonly LinkedList<byte[]> _items = new();
    private readonly LinkedList<BrokerReply> _waiters = new();

    public int Count => _items.Count;

    public IEnumerable<BrokerReply> Waiters => _waiters;

    /// <summary>Hands <paramref name="item"/> to the oldest waiter that can take it, else keeps it.</summary>
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

        _items.AddLast(item);
    }

    /// <summary>Answers <paramref name="reply"/> with the oldest item; <see langword="false"/> when there is none.</summary>
    public bool TryAnswer(BrokerReply reply)
    {
        if (_items.First is not { } node)
        {
            return false;
        }

        _items.RemoveFirst();
        if (!reply.TryComplete(BrokerStatus.Ok, node.Value))
        {
            _items.AddFirst(node.Value);
        }

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
