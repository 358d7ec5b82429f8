using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Managers;

/// <summary>One value a manager holds for its proxies (<see cref="ManagedValue{T}"/>, Python's <c>manager.Value</c>).</summary>
internal sealed class ValueObject(BrokerServer server, long id, byte[] initial) : BrokerObject(server, id)
{
    private byte[] _value = initial;

    public override string Kind => "value";

    public override void Handle(BrokerCaller caller, BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply)
    {
        byte[] answer;
        lock (Gate)
        {
            if (RejectIfDestroyed(reply))
            {
                return;
            }

            switch (op)
            {
                case BrokerOp.ValueGet:
                    answer = _value;
                    break;
                case BrokerOp.ValueSet:
                    _value = operands.ToArray();
                    answer = [];
                    break;
                default:
                    reply.TryError(BrokerErrorKind.InvalidOperation, $"A value does not support {op}.");
                    return;
            }
        }

        reply.TryComplete(BrokerStatus.Ok, answer);
    }
}
