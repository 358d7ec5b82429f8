using System.Buffers.Binary;
using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>
/// What comes before the arguments in a <see cref="FrameType.Run"/>, <see cref="FrameType.RunTraced"/> or
/// <see cref="FrameType.Initialize"/> frame: request id, worker id and item count (little-endian), and for RunTraced a
/// length byte and the caller's W3C traceparent in ASCII. The one place that knows this layout.
/// </summary>
internal readonly record struct RunPrefix(long RequestId, ulong WorkerId, int ItemCount)
{
    /// <summary>The untraced prefix's length in bytes.</summary>
    public const int Length = 20;

    /// <summary>Whether <paramref name="traceParent"/> can travel in a RunTraced prefix (ASCII, 1-255 characters).</summary>
    public static bool CanCarry(string? traceParent) =>
        traceParent is { Length: > 0 and <= byte.MaxValue } && System.Text.Ascii.IsValid(traceParent);

    /// <summary>Writes the untraced prefix into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, RequestId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], WorkerId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], ItemCount);
    }

    /// <summary>The untraced prefix as a new array (for a send that outlives the caller's stack).</summary>
    public byte[] ToArray()
    {
        byte[] prefix = new byte[Length];
        Write(prefix);
        return prefix;
    }

    /// <summary>The RunTraced prefix; <paramref name="traceParent"/> must pass <see cref="CanCarry"/>.</summary>
    public byte[] ToTracedArray(string traceParent)
    {
        byte[] prefix = new byte[Length + 1 + traceParent.Length];
        Write(prefix);
        prefix[Length] = (byte)traceParent.Length;
        System.Text.Encoding.ASCII.GetBytes(traceParent, prefix.AsSpan(Length + 1));
        return prefix;
    }

    /// <summary>
    /// Reads the prefix of a frame of <paramref name="type"/>: returns it, the traceparent (RunTraced only) and where the
    /// arguments start in <paramref name="body"/>. Throws <see cref="WireFormatException"/> when the body is too short.
    /// </summary>
    public static RunPrefix Read(ReadOnlySpan<byte> body, FrameType type, out string? traceParent, out int argumentsStart)
    {
        var reader = new WireReader(body);
        long requestId = reader.ReadInt64();
        ulong workerId = reader.ReadUnmanaged<ulong>();
        int count = reader.ReadInt32();
        traceParent = null;
        if (type == FrameType.RunTraced)
        {
            int length = reader.ReadByte();
            traceParent = System.Text.Encoding.ASCII.GetString(reader.ReadBytes(length, "traceparent"));
        }

        argumentsStart = reader.Position;
        return new RunPrefix(requestId, workerId, count);
    }
}
