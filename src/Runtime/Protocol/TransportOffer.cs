using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>The body of a <see cref="FrameType.TransportOffer"/>: where the shared-memory rings are, and how large each ring is.</summary>
internal sealed record TransportOffer(string Path, int Capacity)
{
    /// <summary>An offer is small; anything longer is not one.</summary>
    public const int MaxLength = 1024;

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
