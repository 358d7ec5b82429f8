using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>
/// The body of a <see cref="FrameType.ManagerConfigure"/> (parent → manager process): the network endpoint to serve on,
/// as text (<see langword="null"/> for none), then the authentication key (length-prefixed; empty without an endpoint).
/// The one place that knows this layout.
/// </summary>
internal sealed record ManagerConfigure(string? Endpoint, byte[] Key)
{
    public void Write(WireWriter writer)
    {
        writer.WriteString(Endpoint);
        writer.WriteLength(Key.Length);
        writer.WriteUnmanagedSpan<byte>(Key);
    }

    /// <exception cref="WireFormatException">The body is malformed.</exception>
    public static ManagerConfigure Read(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        string? endpoint = reader.ReadString();
        int keyLength = reader.ReadLength(1, "authentication key");
        byte[] key = keyLength > 0 ? reader.ReadBytes(keyLength, "authentication key").ToArray() : [];
        reader.EnsureConsumed("the manager's configuration");
        return new ManagerConfigure(endpoint, key);
    }
}
