using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Managers;

/// <summary>Which <see cref="ISet{T}"/> operation a <see cref="BrokerOp.SetModify"/> or <see cref="BrokerOp.SetCompare"/> carries out.</summary>
internal enum SetOperation : byte
{
    UnionWith = 1,
    IntersectWith = 2,
    ExceptWith = 3,
    SymmetricExceptWith = 4,

    IsSubsetOf = 10,
    IsSupersetOf = 11,
    IsProperSubsetOf = 12,
    IsProperSupersetOf = 13,
    Overlaps = 14,
    SetEquals = 15,
}

/// <summary>
/// A set a manager holds for its proxies (<see cref="ManagedSet{T}"/>). Items are compared by their
/// serialized bytes. Operations with another collection get all of its items in one request, so
/// <c>set.UnionWith(others)</c> is one round trip.
/// </summary>
internal sealed class SetObject(BrokerServer server, long id) : ImmediateObject(server, id)
{
    private readonly HashSet<SerializedKey> _items = [];

    public override string Kind => "set";

    protected override bool TryAnswerLocked(BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply, out byte[]? answer)
    {
        answer = null;
        switch (op)
        {
            case BrokerOp.SetAdd:
                BrokerLimits.CheckItemCount(_items.Count + 1L, "set");
                reply.TryOk(_items.Add(new SerializedKey(operands.ToArray())));
                return false;
            case BrokerOp.SetRemove:
                reply.TryOk(_items.Remove(new SerializedKey(operands.ToArray())));
                return false;
            case BrokerOp.SetContains:
                reply.TryOk(_items.Contains(new SerializedKey(operands.ToArray())));
                return false;
            case BrokerOp.SetCount:
                reply.TryOk(_items.Count);
                return false;
            case BrokerOp.SetClear:
                _items.Clear();
                return true;
            case BrokerOp.SetSnapshot:
                answer = ItemList.ToBytes([.. _items.Select(item => item.Bytes)]);
                return true;
            case BrokerOp.SetModify:
            case BrokerOp.SetCompare:
            {
                var reader = new WireReader(operands);
                var operation = (SetOperation)reader.ReadByte();
                List<SerializedKey> other = [.. ItemList.Read(ref reader, "the other set").Select(item => new SerializedKey(item))];
                reader.EnsureConsumed("a set operation");
                if (op == BrokerOp.SetCompare)
                {
                    reply.TryOk(Compare(operation, other));
                    return false;
                }

                if (operation is SetOperation.UnionWith or SetOperation.SymmetricExceptWith)
                {
                    BrokerLimits.CheckItemCount((long)_items.Count + other.Count, "set");
                }

                Modify(operation, other);
                return true;
            }

            default:
                reply.TryError(BrokerErrorKind.InvalidOperation, $"A set does not support {op}.");
                return false;
        }
    }

    private void Modify(SetOperation operation, List<SerializedKey> other)
    {
        switch (operation)
        {
            case SetOperation.UnionWith:
                _items.UnionWith(other);
                break;
            case SetOperation.IntersectWith:
                _items.IntersectWith(other);
                break;
            case SetOperation.ExceptWith:
                _items.ExceptWith(other);
                break;
            case SetOperation.SymmetricExceptWith:
                _items.SymmetricExceptWith(other);
                break;
            default:
                throw new BrokerRequestException(BrokerErrorKind.InvalidOperation, $"{operation} does not change a set.");
        }
    }

    private bool Compare(SetOperation operation, List<SerializedKey> other) => operation switch
    {
        SetOperation.IsSubsetOf => _items.IsSubsetOf(other),
        SetOperation.IsSupersetOf => _items.IsSupersetOf(other),
        SetOperation.IsProperSubsetOf => _items.IsProperSubsetOf(other),
        SetOperation.IsProperSupersetOf => _items.IsProperSupersetOf(other),
        SetOperation.Overlaps => _items.Overlaps(other),
        SetOperation.SetEquals => _items.SetEquals(other),
        _ => throw new BrokerRequestException(BrokerErrorKind.InvalidOperation, $"{operation} is not a set comparison."),
    };
}
