namespace ParallelGen.Brokering;

/// <summary>
/// An event a manager holds for its proxies (<see cref="ManagedEvent"/>, Python's <c>manager.Event()</c>):
/// a flag that waiters are parked on until someone sets it, then all of them are answered at once.
/// </summary>
internal sealed class EventObject(BrokerServer server, long id) : BrokerObject(server, id)
{
    private readonly List<BrokerReply> _waiters = [];
    private bool _set;

    public override string Kind => "event";

    public override bool HasWaiters
    {
        get
        {
            lock (Gate)
            {
                return _waiters.Count > 0;
            }
        }
    }

    public override void Handle(BrokerCaller caller, BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply)
    {
        List<BrokerReply>? released = null;
        lock (Gate)
        {
            if (RejectIfDestroyed(reply))
            {
                return;
            }

            switch (op)
            {
                case BrokerOp.EventSet:
                    _set = true;
                    released = [.. _waiters];
                    _waiters.Clear();
                    break;
                case BrokerOp.EventClear:
                    _set = false;
                    break;
                case BrokerOp.EventIsSet:
                    reply.TryOk(_set);
                    return;
                case BrokerOp.EventWait:
                    if (_set)
                    {
                        break;
                    }

                    if (operands.Length == 0 || operands[0] == 0)
                    {
                        reply.TryComplete(BrokerStatus.Empty, default);
                    }
                    else if (caller.TrackWait(this, reply))
                    {
                        _waiters.Add(reply);
                    }

                    return;
                default:
                    reply.TryError(BrokerErrorKind.InvalidOperation, $"An event does not support {op}.");
                    return;
            }
        }

        foreach (BrokerReply waiter in released ?? [])
        {
            waiter.Caller.ForgetWait(waiter.RequestId);
            waiter.TryOk();
        }

        reply.TryOk();
    }

    public override void Destroy()
    {
        List<BrokerReply> waiters;
        lock (Gate)
        {
            base.Destroy();
            waiters = [.. _waiters];
            _waiters.Clear();
        }

        foreach (BrokerReply waiter in waiters)
        {
            waiter.Caller.ForgetWait(waiter.RequestId);
            waiter.TryError(BrokerErrorKind.ObjectDisposed, DisposedMessage() + " This process was waiting for it to be set.");
        }
    }

    public override void CancelWait(BrokerReply reply)
    {
        lock (Gate)
        {
            if (_waiters.Remove(reply))
            {
                reply.TryComplete(BrokerStatus.Cancelled, default);
            }
        }
    }

    public override void DropWait(BrokerReply reply)
    {
        lock (Gate)
        {
            _waiters.Remove(reply);
            reply.Abandon();
        }
    }
}
