using System.Buffers.Binary;

namespace ParallelGen.Protocol;

/// <summary>
/// The request id that opens a Cancel frame's body (all of it) and a Result or Fault reply's (the reply body follows, see
/// <see cref="ChunkReplyBody"/>): 8 bytes, little-endian. The one place that knows that layout.
/// </summary>
internal static class RequestId
{
    /// <summary>Its length in bytes: where a reply's body starts.</summary>
    public const int Length = 8;

    public static void Write(Span<byte> body, long requestId) => BinaryPrimitives.WriteInt64LittleEndian(body, requestId);

    /// <summary>The body of a Cancel frame for <paramref name="requestId"/>.</summary>
    public static byte[] CancelBody(long requestId)
    {
        byte[] body = new byte[Length];
        Write(body, requestId);
        return body;
    }

    /// <summary>Reads the request id that opens a <paramref name="type"/> frame's <paramref name="body"/>.</summary>
    /// <exception cref="InvalidDataException">The body is too short to hold one.</exception>
    public static long Read(ReadOnlySpan<byte> body, FrameType type) =>
        TryRead(body, out long requestId)
            ? requestId
            : throw new InvalidDataException($"A {type} frame of {body.Length} bytes is too short to hold its request id.");

    /// <summary>Reads the request id that opens <paramref name="body"/>; <see langword="false"/> when it is too short.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out long requestId)
    {
        if (body.Length < Length)
        {
            requestId = 0;
            return false;
        }

        requestId = BinaryPrimitives.ReadInt64LittleEndian(body);
        return true;
    }
}
