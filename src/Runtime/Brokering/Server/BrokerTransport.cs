using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Brokering.Server;

/// <summary>
/// The upgrade point of a local broker connection (a client of this machine that proved the private Unix socket's secret):
/// right after the broker's acknowledgement, the broker sends exactly one <see cref="FrameType.TransportOffer"/>, a
/// shared-memory region or <see cref="TransportOffer.StayOnSocket"/>, and the client follows it. TCP and user-chosen
/// Unix paths (remote clients, authenticated by key) never get here: they stay on their socket.
/// </summary>
/// <remarks>
/// The broker decides, by <see cref="TransportChoice"/> (<c>PARALLELGEN_TRANSPORT</c>, which its clients inherit), so an
/// A/B run switches every local manager, queue and pipe connection with the pool's.
/// </remarks>
internal static class BrokerTransport
{
    /// <summary>Broker side: the transport to a client whose Hello on <paramref name="authenticated"/> proved the secret, offered over the socket (the client was running before it connected, so its rings can't be handed over at launch as a pool's workers' are).</summary>
    public static IFrameTransport ToClient(FrameChannel authenticated) => TransportUpgrade.OfferOverSocket(authenticated, WorkerTransport.Auto);

    /// <summary>Client side: the transport to the broker at <paramref name="where"/>, once it acknowledged this process's Hello: follows the one offer <see cref="ToClient"/> sends.</summary>
    public static IFrameTransport ToBroker(FrameChannel channel, string where)
    {
        using ReceivedFrame offer = channel.Receive(TransportOffer.MaxLength)
            ?? throw new IOException($"The broker at {where} closed the connection right after accepting this process's credentials (it is shutting down).");
        if (offer.Type != FrameType.TransportOffer)
        {
            throw new IOException($"The broker at {where} sent a {offer.Type} frame where a {FrameType.TransportOffer} belongs: it runs another Parallel.Gen version than this process.");
        }

        return TransportOffer.Read(offer.Body).Path.Length == 0 ? channel : SharedMemoryTransport.Accept(channel, offer, channel.MaxFrameLength);
    }
}
