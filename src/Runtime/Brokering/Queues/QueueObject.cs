using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Queues;

/// <summary>
/// A FIFO of items for any number of producers and consumers. A Get with nothing to take waits for
/// the next Put; on a bounded queue a Put with no room waits for the next Get. Every wait is parked
/// here and answered by the operation that ends it (no polling). Once completed, Puts are refused and
/// Gets drain what is left, then end. A joinable queue also counts items not yet marked done.
/// </summary>
/// <remarks>
/// A bounded queue lends room to producers in other processes so they can pipeline their puts (credits): a waiting Put
/// that asks for it (<see cref="GrantFlag"/>) is answered with a number of slots reserved for its connection, at most half
/// of the room left; the producer then posts that many puts (<see cref="ReservedFlag"/>) without waiting, each taking one
/// reserved slot. Items plus reserved slots never exceed the capacity, so neither do the items. Reserved slots go back when
/// the producer returns them (<see cref="BrokerOp.QueueReturnCredits"/>) or disconnects.
/// </remarks>
internal sealed class QueueObject : BrokerObject, ILocalSource
{
    /// <summary>The last operand of a Put: wait for room when full.</summary>
    public const byte WaitFlag = 1;

    /// <summary>The last operand of a Put: this put takes one of the slots reserved for the caller (it was posted, nobody waits).</summary>
    public const byte ReservedFlag = 2;

    /// <summary>The last operand of a Put: answer with how many slots were reserved for the caller (an int32), for its next puts.</summary>
    public const byte GrantFlag = 4;

    /// <summary>At most this many slots are lent at once: enough to send one round trip per few dozen puts.</summary>
    private const int MaxGrant = 64;

    private readonly MessageBuffer _buffer = new();
    private readonly Dictionary<BrokerCaller, int> _reservations = [];
    private int _reserved;
    private readonly LinkedList<(byte[] Item, BrokerReply Reply, bool Grant)> _blockedPuts = new();
    private readonly List<BrokerReply> _joiners = [];
    private readonly int _capacity;
    private readonly bool _joinable;
    private bool _completed;
    private long _unfinished;

    private QueueObject(BrokerServer server, long id, int capacity, bool joinable)
        : base(server, id)
    {
        _capacity = capacity;
        _joinable = joinable;
    }

    public override string Kind => "queue";

    public override bool HasWaiters
    {
        get
        {
            lock (Gate)
            {
                return _buffer.HasWaiters || _blockedPuts.Count > 0 || _joiners.Count > 0;
            }
        }
    }

    /// <summary><paramref name="operands"/>: nothing (unbounded, not joinable), or the capacity (int32, 0 = unbounded) and a joinable flag.</summary>
    public static QueueObject Create(BrokerServer server, long id, ReadOnlySpan<byte> operands)
    {
        int capacity = operands.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(operands) : 0;
        if (capacity < 0)
        {
            throw new BrokerRequestException(BrokerErrorKind.ArgumentOutOfRange, $"A queue's capacity must be positive (or 0 for unbounded), not {capacity}.");
        }

        return new QueueObject(server, id, capacity, joinable: operands.Length >= 5 && operands[4] != 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Handle(BrokerCaller caller, BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply)
    {
        switch (op)
        {
            case BrokerOp.QueuePut:
                // operands: the item, then a wait flag.
                if (operands.Length == 0)
                {
                    reply.TryError(BrokerErrorKind.WireFormat, "A queue Put must carry an item and a wait flag.");
                    return;
                }

                Put(caller, operands[^1], operands[..^1].ToArray(), reply);
                return;
            case BrokerOp.QueueReturnCredits:
                ReturnCredits(caller, operands.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(operands) : 0);
                reply.TryOk();
                return;
            case BrokerOp.QueueGet:
                Get(caller, wait: operands.Length > 0 && operands[0] != 0, reply);
                return;
            case BrokerOp.QueueCount:
            {
                int count;
                lock (Gate)
                {
                    if (RejectIfDestroyed(reply))
                    {
                        return;
                    }

                    count = _buffer.Count;
                }

                reply.TryOk(count);
                return;
            }

            case BrokerOp.QueueInfo:
            {
                Span<byte> info = stackalloc byte[9];
                lock (Gate)
                {
                    if (RejectIfDestroyed(reply))
                    {
                        return;
                    }

                    BinaryPrimitives.WriteInt32LittleEndian(info, _buffer.Count);
                    BinaryPrimitives.WriteInt32LittleEndian(info[4..], _capacity);
                    info[8] = _completed ? (byte)1 : (byte)0;
                }

                reply.TryComplete(BrokerStatus.Ok, info);
                return;
            }

            case BrokerOp.QueueComplete:
                Complete(reply);
                return;
            case BrokerOp.QueueTaskDone:
                TaskDone(reply);
                return;
            case BrokerOp.QueueJoin:
                Join(caller, wait: operands.Length > 0 && operands[0] != 0, reply);
                return;
            default:
                reply.TryError(BrokerErrorKind.InvalidOperation, $"A queue does not support {op}.");
                return;
        }
    }

    /// <inheritdoc/>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryTakeNow(int end, [NotNullWhen(true)] out byte[]? item)
    {
        lock (Gate)
        {
            if (Destroyed || !_buffer.TryTake(out item))
            {
                item = null;
                return false;
            }

            // As a Get through a request does: the room it made lets the oldest blocked Puts in.
            AdmitBlockedPuts();
            return true;
        }
    }

    /// <inheritdoc/>
    public bool IsReady(int end) => _buffer.Available > 0 || Volatile.Read(ref _completed);

    public override void Destroy()
    {
        List<BrokerReply> waiters;
        lock (Gate)
        {
            base.Destroy();
            waiters = [.. _buffer.TakeWaiters(), .. _blockedPuts.Select(put => put.Reply), .. _joiners];
            _blockedPuts.Clear();
            _joiners.Clear();
        }

        foreach (BrokerReply waiter in waiters)
        {
            waiter.Caller.ForgetWait(waiter.RequestId);
            waiter.TryError(BrokerErrorKind.ObjectDisposed, DisposedMessage() + " This process was waiting on it.");
        }
    }

    public override void CancelWait(BrokerReply reply)
    {
        lock (Gate)
        {
            if (RemoveWait(reply))
            {
                reply.TryComplete(BrokerStatus.Cancelled, default);
            }
        }
    }

    public override void DropWait(BrokerReply reply)
    {
        lock (Gate)
        {
            RemoveWait(reply);
            reply.Abandon();
        }
    }

    /// <summary>The caller disconnected, or handed back the slots it did not use: they are room for everyone again.</summary>
    public void ReturnCredits(BrokerCaller caller, int count)
    {
        lock (Gate)
        {
            if (!_reservations.TryGetValue(caller, out int held))
            {
                return;
            }

            int returned = Math.Min(Math.Max(count, 0), held);
            Reserve(caller, -returned);
            AdmitBlockedPuts();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Put(BrokerCaller caller, byte flags, byte[] item, BrokerReply reply)
    {
        bool wait = (flags & WaitFlag) != 0;
        bool grant = (flags & GrantFlag) != 0;
        int granted = 0;
        lock (Gate)
        {
            if ((flags & ReservedFlag) != 0)
            {
                // The slot was lent to this caller earlier: it is taken now, whatever happens to the item.
                bool held = _reservations.GetValueOrDefault(caller) > 0;
                if (held)
                {
                    Reserve(caller, -1);
                }

                if (RejectIfDestroyed(reply) || RejectIfCompleted(reply))
                {
                    return;
                }

                if (held)
                {
                    Accept(item);
                    reply.TryOk();
                    return;
                }

                // Not lent (never happens with our own clients): treat it as an ordinary put that must not wait.
                flags = 0;
            }

            if (RejectIfDestroyed(reply) || RejectIfCompleted(reply))
            {
                return;
            }

            if (_capacity > 0 && _buffer.Count + _reserved >= _capacity)
            {
                if (!wait)
                {
                    reply.TryComplete(BrokerStatus.Full, default);
                }
                else if (caller.TrackWait(this, reply))
                {
                    _blockedPuts.AddLast((item, reply, grant));
                }

                return;
            }

            Accept(item);
            if (grant)
            {
                granted = Grant(reply.Caller, pending: 0);
            }
        }

        if (grant)
        {
            reply.TryOk(granted);
        }
        else
        {
            reply.TryOk();
        }
    }

    /// <summary>Call under the lock: refuses a put into a completed queue.</summary>
    private bool RejectIfCompleted(BrokerReply reply)
    {
        if (_completed)
        {
            reply.TryError(BrokerErrorKind.InvalidOperation, "Can't put into the queue: it was completed (Complete() was called), so getters only drain what is left.");
        }

        return _completed;
    }

    /// <summary>Call under the lock, after a put went in: lends the caller up to half the room left (at most <see cref="MaxGrant"/> slots).</summary>
    /// <param name="caller">Who gets the slots.</param>
    /// <param name="pending">Items about to go in (counted as taken).</param>
    private int Grant(BrokerCaller caller, int pending)
    {
        int granted = Math.Min(MaxGrant, (_capacity - _buffer.Count - pending - _reserved) / 2);
        if (granted > 0 && caller.TrackReservation(this))
        {
            Reserve(caller, granted);
            return granted;
        }

        return 0;
    }

    /// <summary>Call under the lock: changes what is reserved for <paramref name="caller"/> by <paramref name="delta"/>.</summary>
    private void Reserve(BrokerCaller caller, int delta)
    {
        int held = _reservations.GetValueOrDefault(caller) + delta;
        _reserved += delta;
        if (held > 0)
        {
            _reservations[caller] = held;
        }
        else
        {
            _reservations.Remove(caller);
        }
    }

    private void Get(BrokerCaller caller, bool wait, BrokerReply reply)
    {
        lock (Gate)
        {
            if (RejectIfDestroyed(reply))
            {
                return;
            }

            if (_buffer.TryAnswer(reply))
            {
                AdmitBlockedPuts();
                return;
            }

            if (_completed)
            {
                reply.TryComplete(BrokerStatus.Completed, default);
            }
            else if (!wait)
            {
                reply.TryComplete(BrokerStatus.Empty, default);
            }
            else if (caller.TrackWait(this, reply))
            {
                _buffer.Wait(reply);
            }
        }
    }

    private void Complete(BrokerReply reply)
    {
        List<BrokerReply> getters;
        List<BrokerReply> putters;
        lock (Gate)
        {
            if (RejectIfDestroyed(reply))
            {
                return;
            }

            _completed = true;

            // Getters only wait on an empty queue: with no more puts, they would wait forever.
            getters = _buffer.TakeWaiters();
            putters = [.. _blockedPuts.Select(put => put.Reply)];
            _blockedPuts.Clear();
        }

        foreach (BrokerReply getter in getters)
        {
            getter.Caller.ForgetWait(getter.RequestId);
            getter.TryComplete(BrokerStatus.Completed, default);
        }

        foreach (BrokerReply putter in putters)
        {
            putter.Caller.ForgetWait(putter.RequestId);
            putter.TryError(BrokerErrorKind.InvalidOperation, "The queue was completed while this process waited for room to put an item; the item was not put.");
        }

        reply.TryOk();
    }

    private void TaskDone(BrokerReply reply)
    {
        List<BrokerReply> joiners = [];
        lock (Gate)
        {
            if (RejectIfDestroyed(reply))
            {
                return;
            }

            if (!_joinable)
            {
                reply.TryError(BrokerErrorKind.InvalidOperation, "TaskDone() needs a JoinableProcessQueue; this queue does not count unfinished items.");
                return;
            }

            if (_unfinished == 0)
            {
                reply.TryError(BrokerErrorKind.InvalidOperation, "TaskDone() was called more times than items were put into the queue (Python raises ValueError: task_done() called too many times).");
                return;
            }

            if (--_unfinished == 0)
            {
                joiners = [.. _joiners];
                _joiners.Clear();
            }
        }

        foreach (BrokerReply joiner in joiners)
        {
            joiner.Caller.ForgetWait(joiner.RequestId);
            joiner.TryOk();
        }

        reply.TryOk();
    }

    private void Join(BrokerCaller caller, bool wait, BrokerReply reply)
    {
        lock (Gate)
        {
            if (RejectIfDestroyed(reply))
            {
                return;
            }

            if (!_joinable)
            {
                reply.TryError(BrokerErrorKind.InvalidOperation, "Join() needs a JoinableProcessQueue; this queue does not count unfinished items.");
            }
            else if (_unfinished == 0)
            {
                reply.TryOk();
            }
            else if (!wait)
            {
                reply.TryComplete(BrokerStatus.Empty, default);
            }
            else if (caller.TrackWait(this, reply))
            {
                _joiners.Add(reply);
            }
        }
    }

    /// <summary>Call under the lock: the item is in the queue (handed to a waiting getter, or kept).</summary>
    private void Accept(byte[] item)
    {
        if (_joinable)
        {
            _unfinished++;
        }

        _buffer.Offer(item);
    }

    /// <summary>Call under the lock after a Get took an item: the oldest blocked Puts that now fit go in, in order.</summary>
    private void AdmitBlockedPuts()
    {
        while (_buffer.Count + _reserved < _capacity && _blockedPuts.First is { } oldest)
        {
            _blockedPuts.RemoveFirst();
            (byte[] item, BrokerReply putter, bool grant) = oldest.Value;

            // The slots lent are counted before the answer goes out, and taken back if it can't be heard.
            int granted = grant ? Grant(putter.Caller, pending: 1) : 0;

            // A putter that can't hear the answer (its connection is gone) never learns the item went in: leave it out.
            if (grant ? putter.TryOk(granted) : putter.TryOk())
            {
                putter.Caller.ForgetWait(putter.RequestId);
                Accept(item);
            }
            else if (granted > 0)
            {
                Reserve(putter.Caller, -granted);
            }
        }
    }

    /// <summary>Call under the lock: removes a parked wait of any kind; <see langword="false"/> when it was not waiting.</summary>
    private bool RemoveWait(BrokerReply reply)
    {
        if (_buffer.Remove(reply) || _joiners.Remove(reply))
        {
            return true;
        }

        for (LinkedListNode<(byte[] Item, BrokerReply Reply, bool Grant)>? node = _blockedPuts.First; node is not null; node = node.Next)
        {
            if (node.Value.Reply == reply)
            {
                _blockedPuts.Remove(node);
                return true;
            }
        }

        return false;
    }
}
