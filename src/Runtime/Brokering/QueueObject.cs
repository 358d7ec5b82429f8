namespace ParallelGen.Brokering;

/// <summary>A FIFO of items for any number of producers and consumers; a Get with nothing to take waits for the next Put.</summary>
internal sealed class QueueObject(BrokerServer server, long id) : BrokerObject(server, id)
{
    private readonly MessageBuffer _buffer = new();

    public override string Kind => "queue";

    public override bool HasWaiters
    {
        get
        {
            lock (Gate)
            {
                return _buffer.Waiters.Any();
            }
        }
    }

    public override void Handle(BrokerCaller caller, BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply)
    {
        switch (op)
        {
            case BrokerOp.QueuePut:
            {
                byte[] item = operands.ToArray();
                lock (Gate)
                {
                    if (RejectIfDestroyed(reply))
                    {
                        return;
                    }

                    _buffer.Offer(item);
                }

                reply.TryOk();
                return;
            }

            case BrokerOp.QueueGet:
            {
                bool wait = operands.Length > 0 && operands[0] != 0;
                lock (Gate)
                {
                    if (RejectIfDestroyed(reply) || _buffer.TryAnswer(reply))
                    {
                        return;
                    }

                    if (!wait)
                    {
                        reply.TryComplete(BrokerStatus.Empty, default);
                    }
                    else if (caller.TrackWait(this, reply))
                    {
                        _buffer.Wait(reply);
                    }
                }

                return;
            }

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

            default:
                reply.TryError(BrokerErrorKind.InvalidOperation, $"A queue does not support {op}.");
                return;
        }
    }

    public override void Destroy()
    {
        List<BrokerReply> waiters;
        lock (Gate)
        {
            base.Destroy();
            waiters = _buffer.TakeWaiters();
        }

        foreach (BrokerReply waiter in waiters)
        {
            waiter.Caller.ForgetWait(waiter.RequestId);
            waiter.TryError(BrokerErrorKind.ObjectDisposed, DisposedMessage() + " This process was waiting for an item.");
        }
    }

    public override void CancelWait(BrokerReply reply)
    {
        lock (Gate)
        {
            if (_buffer.Remove(reply))
            {
                reply.TryComplete(BrokerStatus.Cancelled, default);
            }
        }
    }

    public override void DropWait(BrokerReply reply)
    {
        lock (Gate)
        {
            _buffer.Remove(reply);
            reply.Abandon();
        }
    }
}
