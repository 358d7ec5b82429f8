using System.Buffers.Binary;

namespace ParallelGen.Protocol;

/// <summary>
/// The body of a <see cref="FrameType.Returned"/> frame, in which a worker gives back chunks it held but had not started:
/// a byte saying why (0: answering a Reclaim, 1: answering a Cancel of a queued chunk), the count (int32), then each
/// chunk's request id (int64), all little-endian.
/// </summary>
internal readonly ref struct Returned
{
    private const int IdsStart = 5;

    private readonly ReadOnlySpan<byte> _body;

    private Returned(ReadOnlySpan<byte> body, bool cancelled, int count)
    {
        _body = body;
        Cancelled = cancelled;
        Count = count;
    }

    /// <summary>Answers a Cancel (the named chunk was queued), not a Reclaim.</summary>
    public bool Cancelled { get; }

    /// <summary>How many request ids the frame holds.</summary>
    public int Count { get; }

    /// <summary>The <paramref name="index"/>th request id given back.</summary>
    public long this[int index] => BinaryPrimitives.ReadInt64LittleEndian(_body[(IdsStart + (8 * index))..]);

    /// <summary>A whole frame (header space included, for <see cref="IFrameTransport.SendPrepared"/>) giving back the chunks <paramref name="requestIds"/>.</summary>
    public static byte[] Frame(bool cancelled, ReadOnlySpan<long> requestIds)
    {
        byte[] frame = new byte[ProtocolConstants.HeaderLength + IdsStart + (8 * requestIds.Length)];
        Span<byte> body = frame.AsSpan(ProtocolConstants.HeaderLength);
        body[0] = cancelled ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(body[1..], requestIds.Length);
        for (int i = 0; i < requestIds.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(body[(IdsStart + (8 * i))..], requestIds[i]);
        }

        return frame;
    }

    /// <exception cref="InvalidDataException">The body's length does not match the count it claims.</exception>
    public static Returned Read(ReadOnlySpan<byte> body)
    {
        int count = body.Length >= IdsStart ? BinaryPrimitives.ReadInt32LittleEndian(body[1..]) : -1;
        if (count < 0 || body.Length != IdsStart + (8L * count))
        {
            throw new InvalidDataException($"A Returned frame of {body.Length} bytes does not hold the request ids it claims.");
        }

        return new Returned(body, body[0] != 0, count);
    }
}
