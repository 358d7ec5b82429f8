using ParallelGen.Protocol;

namespace ParallelGen.Transport;

/// <summary>
/// The side that is offered a transport over the socket (a broker's local client, already running when it connects;
/// workers get their rings at launch instead, see <see cref="TransportUpgrade"/>): reads the one
/// <see cref="FrameType.TransportOffer"/> that <see cref="TransportUpgrade.OfferOverSocket"/> sends after the handshake and
/// follows it. The caller says what to report when the offer doesn't come.
/// </summary>
internal static class TransportOfferReader
{
    /// <summary>The transport <paramref name="channel"/>'s peer offered: shared-memory rings beside the socket, or the socket itself.</summary>
    /// <param name="channel">The authenticated socket, right after this side's part of the handshake.</param>
    /// <param name="closed">The error when the peer closed the connection instead of offering.</param>
    /// <param name="unexpected">The error when another frame came first (a peer of another version).</param>
    public static IFrameTransport Follow(FrameChannel channel, Func<Exception> closed, Func<FrameType, Exception> unexpected)
    {
        using ReceivedFrame offer = channel.Receive(TransportOffer.MaxLength) ?? throw closed();
        if (offer.Type != FrameType.TransportOffer)
        {
            throw unexpected(offer.Type);
        }

        return TransportOffer.Read(offer.Body).Path.Length == 0 ? channel : SharedMemoryTransport.Accept(channel, offer, channel.MaxFrameLength);
    }
}
