using System.Buffers.Binary;

namespace ParallelGen.Protocol;

/// <summary>
/// The body of a <see cref="FrameType.TimedOut"/> frame, which a worker sends when one of its items overran the task
/// timeout (the parent then kills it): request id, item index, elapsed milliseconds; 20 bytes, little-endian.
/// </summary>
internal readonly record struct TimedOut(long RequestId, int Item, long ElapsedMilliseconds)
{
    public const int Length = 20;

    public void Write(Span<byte> body)
    {
        BinaryPrimitives.WriteInt64LittleEndian(body, RequestId);
        BinaryPrimitives.WriteInt32LittleEndian(body[8..], Item);
        BinaryPrimitives.WriteInt64LittleEndian(body[12..], ElapsedMilliseconds);
    }

    /// <exception cref="InvalidDataException">The body is not 20 bytes long.</exception>
    public static TimedOut Read(ReadOnlySpan<byte> body)
    {
        if (body.Length != Length)
        {
            throw new InvalidDataException($"A TimedOut frame has {body.Length} bytes instead of {Length}.");
        }

        return new TimedOut(
            BinaryPrimitives.ReadInt64LittleEndian(body),
            BinaryPrimitives.ReadInt32LittleEndian(body[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(body[12..]));
    }
}
