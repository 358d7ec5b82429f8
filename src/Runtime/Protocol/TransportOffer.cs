using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>
/// Where the shared-memory rings are and how large each ring is, or an empty path (<see cref="StayOnSocket"/>) when the
/// socket stays the transport. A broker offers it to a manager client as the body of a <see cref="FrameType.TransportOffer"/>
/// frame; a parent hands it to a worker it starts as the second line on the worker's stdin (<see cref="ToLaunchLine"/>),
/// after the secret, so the worker maps the rings before it connects.
/// </summary>
internal sealed record TransportOffer(string Path, int Capacity)
{
    /// <summary>An offer is small; anything longer is not one.</summary>
    public const int MaxLength = 1024;

    /// <summary>The offer that means "no shared memory: keep using the socket" (an empty path).</summary>
    public static TransportOffer StayOnSocket { get; } = new("", 0);

    /// <summary>The stdin line: <c>capacity path</c>, or an empty line to stay on the socket.</summary>
    public string ToLaunchLine() => Path.Length == 0 ? "" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Capacity} {Path}");

    /// <summary>Reads a line written by <see cref="ToLaunchLine"/>; <see langword="null"/> or empty (a parent that hands over no rings) is <see cref="StayOnSocket"/>.</summary>
    public static TransportOffer FromLaunchLine(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return StayOnSocket;
        }

        int space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !int.TryParse(line.AsSpan(0, space), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int capacity))
        {
            throw new InvalidDataException($"the parent's second stdin line should be '<ring capacity> <ring file>' or empty, not '{line}'");
        }

        return new TransportOffer(line[(space + 1)..], capacity);
    }

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
