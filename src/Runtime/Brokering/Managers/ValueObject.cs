using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Managers;

/// <summary>One value a manager holds for its proxies (<see cref="ManagedValue{T}"/>, Python's <c>manager.Value</c>).</summary>
internal sealed class ValueObject(BrokerServer server, long id, byte[] initial) : ImmediateObject(server, id)
{
    private byte[] _value = initial;

    public override string Kind => "value";

    protected override bool TryAnswerLocked(BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply, out byte[]? answer)
    {
        answer = null;
        switch (op)
        {
            case BrokerOp.ValueGet:
                answer = _value;
                return true;
            case BrokerOp.ValueSet:
                _value = operands.ToArray();
                answer = [];
                return true;
            default:
                reply.TryError(BrokerErrorKind.InvalidOperation, $"A value does not support {op}.");
                return false;
        }
    }
}
