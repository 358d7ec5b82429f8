using System.Buffers.Binary;
using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Managers;

/// <summary>A list a manager holds for its proxies (Python's <c>manager.list()</c>); each operation is one round trip.</summary>
internal sealed class ListObject(BrokerServer server, long id) : ImmediateObject(server, id)
{
    private readonly List<byte[]> _items = [];

    public override string Kind => "list";

    protected override bool TryAnswerLocked(BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply, out byte[]? answer)
    {
        answer = null;
        switch (op)
        {
            case BrokerOp.ListAdd:
                BrokerLimits.CheckItemCount(_items.Count + 1L, "list");
                _items.Add(operands.ToArray());
                return true;
            case BrokerOp.ListGet:
                answer = _items[CheckIndex(operands, _items.Count, allowEnd: false)];
                return true;
            case BrokerOp.ListSet:
                _items[CheckIndex(operands, _items.Count, allowEnd: false)] = operands[4..].ToArray();
                return true;
            case BrokerOp.ListInsert:
                BrokerLimits.CheckItemCount(_items.Count + 1L, "list");
                _items.Insert(CheckIndex(operands, _items.Count, allowEnd: true), operands[4..].ToArray());
                return true;
            case BrokerOp.ListRemoveAt:
                _items.RemoveAt(CheckIndex(operands, _items.Count, allowEnd: false));
                return true;
            case BrokerOp.ListClear:
                _items.Clear();
                return true;
            case BrokerOp.ListCount:
                reply.TryOk(_items.Count);
                return false;
            case BrokerOp.ListSnapshot:
                answer = Snapshot();
                return true;
            case BrokerOp.ListIndexOf:
                reply.TryOk(IndexOf(operands));
                return false;
            case BrokerOp.ListRemove:
            {
                int index = IndexOf(operands);
                if (index >= 0)
                {
                    _items.RemoveAt(index);
                }

                reply.TryOk(index >= 0);
                return false;
            }

            default:
                reply.TryError(BrokerErrorKind.InvalidOperation, $"A list does not support {op}.");
                return false;
        }
    }

    /// <summary>The first item serialized exactly as <paramref name="item"/>, or -1.</summary>
    private int IndexOf(ReadOnlySpan<byte> item)
    {
        for (int i = 0; i < _items.Count; i++)
        {
            if (item.SequenceEqual(_items[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private byte[] Snapshot()
    {
        using var writer = new WireWriter();
        writer.WriteLength(_items.Count);
        foreach (byte[] item in _items)
        {
            writer.WriteLength(item.Length);
            writer.WriteUnmanagedSpan<byte>(item);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the index operand; one outside the list becomes the caller's ArgumentOutOfRangeException.</summary>
    private static int CheckIndex(ReadOnlySpan<byte> operands, int count, bool allowEnd)
    {
        if (operands.Length < 4)
        {
            throw new WireFormatException("A list request lacks its index.");
        }

        int index = BinaryPrimitives.ReadInt32LittleEndian(operands);
        if (index < 0 || index > count || (index == count && !allowEnd))
        {
            throw new BrokerRequestException(BrokerErrorKind.ArgumentOutOfRange, $"Index {index} is outside the shared list of {count} items.");
        }

        return index;
    }
}
