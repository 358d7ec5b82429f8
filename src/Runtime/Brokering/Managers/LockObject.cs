using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Managers;

/// <summary>
/// A lock a manager holds for its proxies (<see cref="ManagedLock"/>, Python's <c>manager.Lock()</c>).
/// Its holder is a connection (one process); an acquirer that must wait is parked here and answered when
/// the lock comes free, so nobody polls. When the holder's connection drops (the process exited or was
/// killed), the lock goes to the next acquirer with the abandoned flag set, so it never stays held forever.
/// </summary>
internal sealed class LockObject(BrokerServer server, long id) : ParkingObject(server, id)
{
    private BrokerCaller? _holder;

    // The last holder vanished while holding: the next acquirer gets the lock and hears so.
    private bool _abandoned;

    protected override string WaitingFor => "to acquire it";

    public override string Kind => "lock";

    public override void Handle(BrokerCaller caller, BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply)
    {
        switch (op)
        {
            case BrokerOp.LockAcquire:
            {
                bool wait = operands.Length > 0 && operands[0] != 0;
                lock (Gate)
                {
                    if (RejectIfDestroyed(reply))
                    {
                        return;
                    }

                    if (_holder is null)
                    {
                        Grant(caller, reply);
                    }
                    else if (!wait)
                    {
                        reply.TryComplete(BrokerStatus.Empty, default);
                    }
                    else
                    {
                        Park(caller, reply);
                    }
                }

                return;
            }

            case BrokerOp.LockRelease:
            {
                bool released;
                lock (Gate)
                {
                    if (RejectIfDestroyed(reply))
                    {
                        return;
                    }

                    released = _holder == caller;
                    if (released)
                    {
                        caller.ForgetHold(this);
                        _holder = null;
                        PassOn();
                    }
                }

                reply.TryOk(released);
                return;
            }

            default:
                reply.TryError(BrokerErrorKind.InvalidOperation, $"A lock does not support {op}.");
                return;
        }
    }

    /// <summary>The holder's connection dropped: hand the lock on, marked abandoned.</summary>
    public void HolderGone(BrokerCaller caller)
    {
        lock (Gate)
        {
            if (_holder != caller)
            {
                return;
            }

            _holder = null;
            _abandoned = true;
            PassOn();
        }
    }

    /// <summary>Gives the free lock to the first waiter that can still take it; call under <see cref="BrokerObject.Gate"/>.</summary>
    private void PassOn()
    {
        while (_holder is null && Waiters.First is { } first)
        {
            Waiters.RemoveFirst();
            first.Value.Caller.ForgetWait(first.Value.RequestId);
            Grant(first.Value.Caller, first.Value);
        }
    }

    /// <summary>Makes <paramref name="caller"/> the holder and tells it (one byte: 1 if abandoned); undone if it can't be told.</summary>
    private void Grant(BrokerCaller caller, BrokerReply reply)
    {
        if (!caller.TrackHold(this))
        {
            reply.Abandon();
            return;
        }

        bool abandoned = _abandoned;
        _holder = caller;
        _abandoned = false;
        if (!reply.TryComplete(BrokerStatus.Ok, [abandoned ? (byte)1 : (byte)0]))
        {
            // Its connection just broke: it never learned it held the lock, so the lock stays as it was.
            caller.ForgetHold(this);
            _holder = null;
            _abandoned = abandoned;
        }
    }
}
