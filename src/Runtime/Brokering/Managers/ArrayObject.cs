using System.Buffers.Binary;
using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Managers;

/// <summary>A fixed-length array a manager holds for its proxies (<see cref="ManagedArray{T}"/>, Python's <c>manager.Array</c>).</summary>
internal sealed class ArrayObject : ImmediateObject
{
    private readonly byte[][] _items;

    private ArrayObject(BrokerServer server, long id, byte[][] items)
        : base(server, id)
    {
        _items = items;
    }

    public override string Kind => "array";

    /// <summary>From the operands of <see cref="BrokerOp.CreateArray"/>: the length, then the bytes of the item every slot starts with.</summary>
    public static ArrayObject Create(BrokerServer server, long id, ReadOnlySpan<byte> operands)
    {
        var reader = new WireReader(operands);
        int length = reader.ReadInt32();
        if (length < 0)
        {
            throw new BrokerRequestException(BrokerErrorKind.ArgumentOutOfRange, $"An array can't have {length} items.");
        }

        BrokerLimits.CheckItemCount(length, "array");

        byte[] initial = operands[reader.Position..].ToArray();
        var items = new byte[length][];
        Array.Fill(items, initial);
        return new ArrayObject(server, id, items);
    }

    protected override bool TryAnswerLocked(BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply, out byte[]? answer)
    {
        answer = null;
        switch (op)
        {
            case BrokerOp.ArrayGet:
                answer = _items[CheckIndex(operands)];
                return true;
            case BrokerOp.ArraySet:
                _items[CheckIndex(operands)] = operands[4..].ToArray();
                answer = [];
                return true;
            case BrokerOp.ArrayLength:
                reply.TryOk(_items.Length);
                return false;
            case BrokerOp.ArraySnapshot:
                answer = ItemList.ToBytes(_items);
                return true;
            default:
                reply.TryError(BrokerErrorKind.InvalidOperation, $"An array does not support {op}.");
                return false;
        }
    }

    private int CheckIndex(ReadOnlySpan<byte> operands)
    {
        if (operands.Length < 4)
        {
            throw new WireFormatException("An array request lacks its index.");
        }

        int index = BinaryPrimitives.ReadInt32LittleEndian(operands);
        if ((uint)index >= (uint)_items.Length)
        {
            throw new BrokerRequestException(BrokerErrorKind.ArgumentOutOfRange, $"Index {index} is outside the managed array of {_items.Length} items.");
        }

        return index;
    }
}
