using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>
/// The body of a <see cref="FrameType.TransportOffer"/>: where the shared-memory rings are and how large each ring is, or
/// an empty path (<see cref="StayOnSocket"/>) when the parent keeps the socket as the transport.
/// </summary>
internal sealed record TransportOffer(string Path, int Capacity)
{
    /// <summary>An offer is small; anything longer is not one.</summary>
    public const int MaxLength = 1024;

    /// <summary>The offer that means "no shared memory: keep using the socket" (an empty path).</summary>
    public static TransportOffer StayOnSocket { get; } = new("", 0);

    public void Write(WireWriter writer)
    {
        writer.WriteInt32(Capacity);
        writer.WriteString(Path);
    }

    public static TransportOffer Read(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        int capacity = reader.ReadInt32();
        string path = reader.ReadString() ?? throw new InvalidDataException("The shared-memory transport offer names no region.");
        reader.EnsureConsumed("TransportOffer");
        return new TransportOffer(path, capacity);
    }
}
