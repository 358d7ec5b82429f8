using System.Net;

namespace ParallelGen;

/// <summary>How <see cref="Manager.Start(ManagerOptions?)"/> starts a manager.</summary>
public sealed class ManagerOptions
{
    /// <summary>
    /// Where the manager also listens, so that unrelated processes (on this machine or others) can reach it with
    /// <see cref="Manager.Connect(EndPoint, byte[])"/> (Python's <c>BaseManager(address=...)</c>): an <see cref="IPEndPoint"/>
    /// for TCP (port 0 picks a free port, see <see cref="Manager.NetworkEndpoint"/>; <see cref="IPAddress.Loopback"/> keeps
    /// it on this machine), or a <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> for a Unix socket at a path
    /// you choose (a socket file left there by a killed manager is replaced; a live one or any other file is not).
    /// <see langword="null"/> (the default): the manager is reachable only through a private Unix socket in a directory
    /// only this user can enter, by processes this program hands its proxies to. Requires <see cref="AuthKey"/>.
    /// </summary>
    public EndPoint? Endpoint { get; set; }

    /// <summary>
    /// The key a client must prove it knows to use the network endpoint (Python's <c>authkey</c>): at least 16 bytes,
    /// best 32 random ones. Each side proves it with an HMAC-SHA256 of a random challenge; the key never travels.
    /// The traffic itself is not encrypted: use it on networks you trust, or tunnel it.
    /// </summary>
    public byte[]? AuthKey { get; set; }
}
