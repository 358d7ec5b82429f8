using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Server;

/// <summary>
/// What one peer of a broker may ask for. A manager exposed on the network serves whoever knows its key; these bounds
/// keep one request (a huge array, a forged frame length, a name of megabytes) from taking the manager down for
/// everyone else. The offending request gets a clear error; the connection and the manager carry on. There are no
/// per-client quotas beyond these (documented in docs/primitives.md).
/// </summary>
internal static class BrokerLimits
{
    /// <summary>How long a network peer has for the whole handshake (not per byte): a slow talker can't hold a connection.</summary>
    public static readonly TimeSpan HandshakeDeadline = TimeSpan.FromSeconds(5);

    /// <summary>Connections accepted but not yet authenticated; more are closed at once. Each costs a socket and a small buffer, no thread.</summary>
    public const int MaxPendingConnections = 1024;

    /// <summary>The largest request frame a network client may send (big data belongs in shared memory).</summary>
    public const int MaxNetworkRequestLength = 64 << 20;

    /// <summary>The most items a managed array, list, dictionary or set may hold.</summary>
    public const int MaxCollectionItems = 1 << 24;

    /// <summary>The longest name a manager shares an object under.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Refuses to grow a collection of <paramref name="what"/> past <see cref="MaxCollectionItems"/>.</summary>
    /// <exception cref="BrokerRequestException">It would.</exception>
    public static void CheckItemCount(long count, string what)
    {
        if (count > MaxCollectionItems)
        {
            throw new BrokerRequestException(
                BrokerErrorKind.ArgumentOutOfRange,
                $"A managed {what} may hold at most {MaxCollectionItems:N0} items; this request would make it {count:N0}. " +
                "Large data belongs in a SharedArray (shared memory), not in a manager.");
        }
    }
}
