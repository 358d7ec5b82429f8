using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Managers;

/// <summary>
/// An event a manager holds for its proxies (<see cref="ManagedEvent"/>, Python's <c>manager.Event()</c>):
/// a flag that waiters are parked on until someone sets it, then all of them are answered at once.
/// </summary>
internal sealed class EventObject(BrokerServer server, long id) : ParkingObject(server, id)
{
    private bool _set;

    protected override string WaitingFor => "for it to be set";

    public override string Kind => "event";

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
                    released = TakeAllWaiters();
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
                    else
                    {
                        Park(caller, reply);
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
}
