using System.Buffers.Binary;

namespace ParallelGen.Brokering.Managers;

/// <summary>
/// The operands of a request that names a position in a managed list or array: the index (int32), then the item when
/// the request stores one. <c>ListObject</c> and <c>ArrayObject</c> read the index from the first four bytes.
/// </summary>
internal static class IndexOperands
{
    public static byte[] Write(int index, byte[]? item = null)
    {
        byte[] operands = new byte[4 + (item?.Length ?? 0)];
        BinaryPrimitives.WriteInt32LittleEndian(operands, index);
        item?.CopyTo(operands, 4);
        return operands;
    }
}
