using System.Buffers.Binary;

namespace ParallelGen.Protocol;

/// <summary>
/// What opens a <see cref="FrameType.BrokerRequest"/> body: request id (8 bytes, little-endian; 0 asks for no answer, a
/// negative id for an answer only on failure), operation (1 byte) and object id (8 bytes); the operands follow. The one
/// place that knows this layout.
/// </summary>
internal readonly record struct BrokerRequestHeader(long RequestId, BrokerOp Op, long ObjectId)
{
    /// <summary>Its length in bytes: where the operands start.</summary>
    public const int Length = 17;

    public void Write(Span<byte> body)
    {
        BinaryPrimitives.WriteInt64LittleEndian(body, RequestId);
        body[8] = (byte)Op;
        BinaryPrimitives.WriteInt64LittleEndian(body[9..], ObjectId);
    }

    /// <summary>Reads the header of a request <paramref name="body"/>; its operands are <c>body[Length..]</c>.</summary>
    /// <exception cref="InvalidDataException">The body is too short to hold a header.</exception>
    public static BrokerRequestHeader Read(ReadOnlySpan<byte> body) =>
        body.Length < Length
            ? throw new InvalidDataException($"A {FrameType.BrokerRequest} frame of {body.Length} bytes is too short: a request starts with {Length} bytes of request id, operation and object id.")
            : new BrokerRequestHeader(BinaryPrimitives.ReadInt64LittleEndian(body), (BrokerOp)body[8], BinaryPrimitives.ReadInt64LittleEndian(body[9..]));
}
