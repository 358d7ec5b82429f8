using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>
/// Where a broker listens and how to prove the right to talk to it: a Unix socket path in a private
/// directory plus its random secret (the default), or a TCP endpoint plus the manager's
/// authentication key (only when a user opted in). Carried inside every handle.
/// </summary>
internal sealed class BrokerAddress : IEquatable<BrokerAddress>
{
    public const string UnixScheme = "unix:";
    public const string TcpScheme = "tcp:";

    /// <summary>A Unix socket at a path the user chose for a manager, behind its authentication key (not the private-directory secret).</summary>
    public const string KeyedUnixScheme = "unix+key:";
    private const int MaxCredentialLength = 1024;

    public BrokerAddress(string endpoint, byte[] credential, int hostProcessId)
    {
        Endpoint = endpoint;
        Credential = credential;
        HostProcessId = hostProcessId;
    }

    /// <summary><c>unix:/tmp/pgen-…/b</c>, <c>tcp:host:port</c> or <c>unix+key:/path</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The Unix endpoint's secret, or the TCP endpoint's authentication key.</summary>
    public byte[] Credential { get; }

    /// <summary>The process hosting the broker (0 when unknown): for messages only.</summary>
    public int HostProcessId { get; }

    /// <summary>Which shared connection this address uses (computed once: every call on a proxy looks its session up by it).</summary>
    public string SessionKey => field ??= Endpoint + "|" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Credential));

    /// <summary>
    /// The session this address was last resolved to (<c>Brokering.Client.BrokerSessions.For</c>), so a proxy's every Put or
    /// Send skips the lock and the keyed lookup; a broken one is looked up (and reconnected) again.
    /// </summary>
    /// <remarks>Typed <see cref="object"/> because the wire's vocabulary sits below the broker's client: only <c>BrokerSessions</c> reads and writes it.</remarks>
    internal object? LastSession { get; set; }

    public bool IsTcp => Endpoint.StartsWith(TcpScheme, StringComparison.Ordinal);

    /// <summary>Whether peers prove the manager's authentication key (TCP, or a Unix socket the user named) rather than a private secret.</summary>
    public bool IsKeyed => IsTcp || Endpoint.StartsWith(KeyedUnixScheme, StringComparison.Ordinal);

    public string Location => Endpoint[(IsTcp ? TcpScheme.Length : IsKeyed ? KeyedUnixScheme.Length : UnixScheme.Length)..];

    /// <summary>"process 1234" or "the manager at host:port", for error messages.</summary>
    public string HostDescription => IsKeyed ? $"the manager at {Location}" : $"process {HostProcessId}";

    /// <summary>
    /// A keyed (network) manager's key is never written: a handle may travel through a manager over an unencrypted link, and
    /// the reader finds the key in <c>Brokering.Managers.ManagerKeys</c>. A private socket's secret is written: it only goes to this
    /// user's processes, which need it to reach the broker.
    /// </summary>
    public void Write(WireWriter writer)
    {
        writer.WriteString(Endpoint);
        ReadOnlySpan<byte> credential = IsKeyed ? default : Credential;
        writer.WriteLength(credential.Length);
        writer.WriteUnmanagedSpan(credential);
        writer.WriteInt32(HostProcessId);
    }

    public static BrokerAddress Read(ref WireReader reader)
    {
        string endpoint = reader.ReadString() ?? "";
        if (!endpoint.StartsWith(UnixScheme, StringComparison.Ordinal) && !endpoint.StartsWith(TcpScheme, StringComparison.Ordinal) && !endpoint.StartsWith(KeyedUnixScheme, StringComparison.Ordinal))
        {
            throw new WireFormatException($"'{endpoint}' is not a broker endpoint (unix:… or tcp:…): the handle is corrupt.");
        }

        int length = reader.ReadLength(1, "broker credential");
        bool keyed = !endpoint.StartsWith(UnixScheme, StringComparison.Ordinal);
        if (keyed ? length != 0 : length is < 1 or > MaxCredentialLength)
        {
            throw new WireFormatException(keyed
                ? $"A handle of the manager at {endpoint} carries a {length}-byte credential, but a manager's key never travels in a handle: the handle is corrupt or from another build."
                : $"A broker credential of {length} bytes is outside 1..{MaxCredentialLength}: the handle is corrupt.");
        }

        byte[] credential = reader.ReadBytes(length, "broker credential").ToArray();
        int host = reader.ReadInt32();
        return new BrokerAddress(endpoint, credential, host);
    }

    public bool Equals(BrokerAddress? other) => other is not null && other.Endpoint == Endpoint;

    public override bool Equals(object? obj) => Equals(obj as BrokerAddress);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Endpoint);

    public override string ToString() => Endpoint;
}
