using System.Buffers.Binary;

namespace ParallelGen.Protocol;

/// <summary>The five bytes before every frame: body length (type byte included) and type. Validated before any allocation.</summary>
internal readonly record struct FrameHeader(FrameType Type, int BodyLength)
{
    public static void Write(Span<byte> destination, FrameType type, int bodyLength)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, bodyLength + 1);
        destination[4] = (byte)type;
    }

    public static FrameHeader Parse(ReadOnlySpan<byte> header, int maxFrameLength)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 1 || length > maxFrameLength)
        {
            throw new InvalidDataException($"Frame length {length:N0} is outside 1..{maxFrameLength:N0}: the peer is not speaking this protocol or the stream is corrupt.");
        }

        var type = (FrameType)header[4];
        if (!IsKnown(type))
        {
            throw new InvalidDataException($"Unknown frame type {header[4]}: the peer is not speaking this protocol version.");
        }

        return new FrameHeader(type, length - 1);
    }

    /// <summary>
    /// Whether <paramref name="type"/> is a value of <see cref="FrameType"/>. Ranges rather than <see cref="Enum.IsDefined{TEnum}(TEnum)"/>,
    /// whose first call builds the enum's metadata by reflection: milliseconds on a worker's way to its first frame.
    /// (A test checks these ranges against the enum.)
    /// </summary>
    public static bool IsKnown(FrameType type) => type is >= FrameType.Hello and <= FrameType.TransportAccept or >= FrameType.BrokerRequest and <= FrameType.ManagerReady;
}
