using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ParallelGen.Brokering.Server;

namespace ParallelGen.Brokering.Managers;

/// <summary>
/// A manager endpoint as text and back: <c>host:port</c>, <c>[ipv6]:port</c>, or <c>unix:/path/to/socket</c>
/// (a bare absolute path is a Unix socket too). Used for <see cref="Manager.Connect(string, byte[])"/> and to
/// tell the manager's server process where to listen.
/// </summary>
internal static class ManagerEndpoints
{
    public const string UnixPrefix = "unix:";

    public static string Format(EndPoint endpoint) => endpoint switch
    {
        UnixDomainSocketEndPoint unix => UnixPrefix + unix,
        DnsEndPoint dns => $"{dns.Host}:{dns.Port.ToString(CultureInfo.InvariantCulture)}",
        _ => BrokerListener.FormatEndPoint(endpoint),
    };

    /// <exception cref="ArgumentException"><paramref name="text"/> is none of the forms above.</exception>
    public static EndPoint Parse(string text, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text, parameterName);
        text = text.Trim();
        if (text.StartsWith(UnixPrefix, StringComparison.Ordinal) || text.StartsWith('/'))
        {
            string path = text.StartsWith(UnixPrefix, StringComparison.Ordinal) ? text[UnixPrefix.Length..] : text;
            return path.Length > 0 ? new UnixDomainSocketEndPoint(path) : throw Invalid(text, parameterName);
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
        {
            throw Invalid(text, parameterName);
        }

        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        return IPAddress.TryParse(host, out IPAddress? address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }

    private static ArgumentException Invalid(string text, string parameterName) => new(
        $"'{text}' is not a manager endpoint: expected host:port (e.g. 127.0.0.1:50000 or [::1]:50000), or unix:/path/to/socket.", parameterName);
}
