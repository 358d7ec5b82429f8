using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Server;

/// <summary>
/// Something a broker hosts for other processes: a queue, a pipe, a list or a dictionary. Values
/// are kept as the bytes their codec wrote; the broker never needs their type.
/// </summary>
internal abstract class BrokerObject
{
    protected BrokerObject(BrokerServer server, long id)
    {
        Server = server;
        Id = id;
    }

    public long Id { get; }

    /// <summary>"queue", "pipe", ...: for messages.</summary>
    public abstract string Kind { get; }

    protected BrokerServer Server { get; }

    protected Lock Gate { get; } = new();

    protected bool Destroyed { get; private set; }

    /// <summary>Whether someone is blocked waiting on the object (diagnostics and tests).</summary>
    public virtual bool HasWaiters => false;

    public abstract void Handle(BrokerCaller caller, BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply);

    /// <summary>The owner disposed the object: fail whoever still waits on it.</summary>
    public virtual void Destroy()
    {
        lock (Gate)
        {
            Destroyed = true;
        }
    }

    /// <summary>Ends a wait with Cancelled if it is still waiting (its caller's timeout passed).</summary>
    public virtual void CancelWait(BrokerReply reply)
    {
    }

    /// <summary>Forgets a wait whose caller is gone, without answering it.</summary>
    public virtual void DropWait(BrokerReply reply)
    {
    }

    /// <summary>Answers with an error if the object was destroyed; call under <see cref="Gate"/>.</summary>
    protected bool RejectIfDestroyed(BrokerReply reply)
    {
        if (!Destroyed)
        {
            return false;
        }

        reply.TryError(BrokerErrorKind.ObjectDisposed, DisposedMessage());
        return true;
    }

    protected string DisposedMessage() => $"The {Kind} was disposed by its owner (process {Server.HostProcessId}).";
}
