using System.Net;

namespace ParallelGen;

/// <summary>How <see cref="Manager.Start(ManagerOptions?)"/> starts a manager.</summary>
public sealed class ManagerOptions
{
    /// <summary>
    /// A TCP endpoint the manager also listens on, so processes on other machines can reach it with
    /// <see cref="Manager.Connect"/> (Python's <c>BaseManager(address=...)</c>). <see langword="null"/> (the default):
    /// the manager is reachable only through a private Unix socket that only this user can open.
    /// Requires <see cref="AuthKey"/>. Use port 0 for any free port (see <see cref="Manager.NetworkEndpoint"/>).
    /// </summary>
    public IPEndPoint? Endpoint { get; set; }

    /// <summary>
    /// The key a client must prove it knows to use the network endpoint (Python's <c>authkey</c>): at least 16 bytes,
    /// best 32 random ones. Each side proves it with an HMAC-SHA256 of a random challenge; the key never travels.
    /// The traffic itself is not encrypted: use it on networks you trust, or tunnel it.
    /// </summary>
    public byte[]? AuthKey { get; set; }
}
