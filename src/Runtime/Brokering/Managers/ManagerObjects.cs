using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Managers;

/// <summary>
/// Creates the manager's objects that need operands to start (a value's initial value, an array's length)
/// and serves names. Kept apart from <see cref="BrokerServer"/> so that its dispatch stays one switch over the
/// objects every process hosts.
/// </summary>
internal static class ManagerObjects
{
    /// <summary>Handles <paramref name="op"/> if it creates a manager object or opens a named one.</summary>
    public static bool TryDispatch(BrokerServer server, BrokerCaller caller, BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply)
    {
        switch (op)
        {
            case BrokerOp.CreateSet:
            case BrokerOp.CreateValue:
            case BrokerOp.CreateArray:
            case BrokerOp.CreateLock:
            case BrokerOp.CreateEvent:
                reply.TryOk(Create(server, caller, op, operands));
                return true;
            case BrokerOp.GetOrCreateNamed:
            {
                // name, description, the creation op, then that op's operands.
                var reader = new WireReader(operands);
                string name = reader.ReadString() ?? throw new WireFormatException("A named request lacks its name.");
                string description = reader.ReadString() ?? "";
                if (name.Length > BrokerLimits.MaxNameLength || description.Length > BrokerLimits.MaxNameLength)
                {
                    throw new BrokerRequestException(
                        BrokerErrorKind.ArgumentOutOfRange,
                        $"A manager shares objects under names of at most {BrokerLimits.MaxNameLength} characters; this one has {name.Length} (its type description {description.Length}).");
                }

                var create = (BrokerOp)reader.ReadByte();
                byte[] createOperands = operands[reader.Position..].ToArray();
                reply.TryOk(server.Names.GetOrCreate(server, name, description, () => Create(server, caller, create, createOperands)));
                return true;
            }

            default:
                return false;
        }
    }

    private static long Create(BrokerServer server, BrokerCaller caller, BrokerOp op, ReadOnlySpan<byte> operands)
    {
        long id;
        switch (op)
        {
            case BrokerOp.CreateQueue:
                return server.Create(op, caller, operands);
            case BrokerOp.CreateList:
            case BrokerOp.CreateDictionary:
            case BrokerOp.CreatePipe:
                return server.Create(op, caller);
            case BrokerOp.CreateSet:
                server.Add(new SetObject(server, id = server.NextId()));
                return id;
            case BrokerOp.CreateValue:
                server.Add(new ValueObject(server, id = server.NextId(), operands.ToArray()));
                return id;
            case BrokerOp.CreateArray:
                server.Add(ArrayObject.Create(server, id = server.NextId(), operands));
                return id;
            case BrokerOp.CreateLock:
                server.Add(new LockObject(server, id = server.NextId()));
                return id;
            case BrokerOp.CreateEvent:
                server.Add(new EventObject(server, id = server.NextId()));
                return id;
            default:
                throw new BrokerRequestException(BrokerErrorKind.InvalidOperation, $"{op} does not create an object.");
        }
    }
}
