using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Managers;

/// <summary>
/// A manager's object that answers every request at once (a list, dictionary, set, array or value: nothing waits on it).
/// The request is carried out under the object's gate, unless the object was destroyed; an answer with a payload is sent
/// after the gate is released, so a slow connection never holds up other callers of the object.
/// </summary>
internal abstract class ImmediateObject(BrokerServer server, long id) : BrokerObject(server, id)
{
    public sealed override void Handle(BrokerCaller caller, BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply)
    {
        byte[]? answer;
        lock (Gate)
        {
            if (RejectIfDestroyed(reply) || !TryAnswerLocked(op, operands, reply, out answer))
            {
                return;
            }
        }

        reply.TryComplete(BrokerStatus.Ok, answer);
    }

    /// <summary>Carries out <paramref name="op"/>; called under <see cref="BrokerObject.Gate"/>.</summary>
    /// <returns>
    /// <see langword="true"/> to answer Ok with <paramref name="answer"/> (<see langword="null"/>: no payload) once the gate is
    /// released; <see langword="false"/> when this method already answered <paramref name="reply"/> (a count, a bool, an error).
    /// </returns>
    protected abstract bool TryAnswerLocked(BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply, out byte[]? answer);
}
