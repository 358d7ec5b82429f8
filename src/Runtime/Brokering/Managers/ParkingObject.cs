using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Managers;

/// <summary>
/// A broker object whose callers may wait on it (a manager's lock or event): waiters are parked, in order,
/// until the object answers them, their caller's timeout cancels them, their connection drops, or the
/// owner disposes the object, which fails them all.
/// </summary>
internal abstract class ParkingObject(BrokerServer server, long id) : BrokerObject(server, id)
{
    /// <summary>Parked waiters, oldest first; touch only under <see cref="BrokerObject.Gate"/>.</summary>
    protected LinkedList<BrokerReply> Waiters { get; } = new();

    /// <summary>What a parked waiter was doing, for the message it gets when the object is disposed.</summary>
    protected abstract string WaitingFor { get; }

    public override bool HasWaiters
    {
        get
        {
            lock (Gate)
            {
                return Waiters.Count > 0;
            }
        }
    }

    /// <summary>Parks <paramref name="reply"/> unless its caller is already gone; call under the gate.</summary>
    protected void Park(BrokerCaller caller, BrokerReply reply)
    {
        if (caller.TrackWait(this, reply))
        {
            Waiters.AddLast(reply);
        }
    }

    /// <summary>Empties the parking; call under the gate, then answer them outside it.</summary>
    protected List<BrokerReply> TakeAllWaiters()
    {
        List<BrokerReply> all = [.. Waiters];
        Waiters.Clear();
        return all;
    }

    public override void Destroy()
    {
        List<BrokerReply> waiters;
        lock (Gate)
        {
            base.Destroy();
            waiters = TakeAllWaiters();
        }

        foreach (BrokerReply waiter in waiters)
        {
            waiter.Caller.ForgetWait(waiter.RequestId);
            waiter.TryError(BrokerErrorKind.ObjectDisposed, DisposedMessage() + " This process was waiting " + WaitingFor + ".");
        }
    }

    public override void CancelWait(BrokerReply reply)
    {
        lock (Gate)
        {
            if (Waiters.Remove(reply))
            {
                reply.TryComplete(BrokerStatus.Cancelled, default);
            }
        }
    }

    public override void DropWait(BrokerReply reply)
    {
        lock (Gate)
        {
            Waiters.Remove(reply);
            reply.Abandon();
        }
    }
}
