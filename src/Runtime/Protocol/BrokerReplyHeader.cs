using System.Buffers.Binary;

namespace ParallelGen.Protocol;

/// <summary>
/// What opens a <see cref="FrameType.BrokerReply"/> body: the request id it answers (8 bytes, little-endian; negative for
/// the refusal of a posted request: minus the object's id) and the status (1 byte); the result follows. The one place that
/// knows this layout.
/// </summary>
internal readonly record struct BrokerReplyHeader(long RequestId, BrokerStatus Status)
{
    /// <summary>Its length in bytes: where the result starts.</summary>
    public const int Length = 9;

    public void Write(Span<byte> body)
    {
        BinaryPrimitives.WriteInt64LittleEndian(body, RequestId);
        body[8] = (byte)Status;
    }

    /// <summary>Reads the header of a reply <paramref name="body"/>; its result is <c>body[Length..]</c>.</summary>
    /// <exception cref="InvalidDataException">The body is too short to hold a header.</exception>
    public static BrokerReplyHeader Read(ReadOnlySpan<byte> body) =>
        body.Length < Length
            ? throw new InvalidDataException($"A {FrameType.BrokerReply} frame of {body.Length} bytes is too short: a reply starts with {Length} bytes of request id and status.")
            : new BrokerReplyHeader(BinaryPrimitives.ReadInt64LittleEndian(body), (BrokerStatus)body[8]);
}
