using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>
/// The body of a <see cref="FrameType.ManagerReady"/> (manager process → parent): the address of its private broker
/// socket, then the network endpoint it actually bound, as text (<see langword="null"/> for none). The one place that
/// knows this layout.
/// </summary>
internal sealed record ManagerReady(BrokerAddress Address, string? NetworkEndpoint)
{
    public void Write(WireWriter writer)
    {
        Address.Write(writer);
        writer.WriteString(NetworkEndpoint);
    }

    /// <exception cref="WireFormatException">The body is malformed.</exception>
    public static ManagerReady Read(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        BrokerAddress address = BrokerAddress.Read(ref reader);
        string? bound = reader.ReadString();
        reader.EnsureConsumed("the manager's ready report");
        return new ManagerReady(address, bound);
    }
}
