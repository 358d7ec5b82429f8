using ParallelGen.Protocol;

namespace ParallelGen.Transport;

/// <summary>
/// THE TRANSPORT UPGRADE POINTS: the one place on each side of a parent-worker connection where the authenticated socket
/// becomes the transport that the rest of the conversation runs over: shared-memory rings beside the socket
/// (<see cref="SharedMemoryTransport"/>, the default on Linux), or the socket alone. The socket stays open either way,
/// since its end of stream is how either side learns that the other died (crash, kill, timeout).
/// </summary>
/// <remarks>
/// <para>
/// A worker's rings are handed over at launch, so that its start costs no round trip after the Hello: the parent makes
/// them while the process starts (<see cref="RingsForLaunch"/>, called by <c>WorkerLauncher</c> for pool workers and
/// <c>WorkerProcess</c> children) and writes their name on the worker's stdin after the secret; the worker maps them
/// before it connects (<see cref="MapHandedRings"/>, in <c>WorkerLoop.Run</c>) and says in its Hello whether it did.
/// Both sides then follow the Hello (<see cref="ToWorker"/> in <c>WorkerSlot.TryAttach</c> and
/// <c>WorkerProcessExecutor.AcceptAsync</c>; <see cref="ToParent"/> in the worker), so they always agree, and a worker that
/// could not map them stays on the socket.
/// </para>
/// <para>
/// The broker's clients are running already when they connect, so the broker offers their rings over the socket instead
/// (<see cref="OfferOverSocket"/>, one <see cref="FrameType.TransportOffer"/> frame answered by a
/// <see cref="FrameType.TransportAccept"/>; <c>Brokering/Server/BrokerTransport</c>).
/// </para>
/// </remarks>
internal static class TransportUpgrade
{
    /// <summary>
    /// Parent side, while a worker process starts: the rings to hand it, or <see langword="null"/> for the socket (the
    /// option or <c>PARALLELGEN_TRANSPORT</c> chose it, the platform has no futexes, or the region can't be created, e.g.
    /// <c>/dev/shm</c> is full: the socket works everywhere).
    /// </summary>
    public static RingRegion? RingsForLaunch(WorkerTransport requested)
    {
        if (!TransportChoice.UsesSharedMemory(requested))
        {
            return null;
        }

        try
        {
            return RingRegion.Create(SharedMemoryTransport.DefaultCapacity);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Parent side: the transport to a worker whose Hello on <paramref name="authenticated"/> proved the secret and said
    /// (<paramref name="workerMapped"/>) whether it mapped <paramref name="handedOver"/>, the rings it was given at launch.
    /// Takes ownership of <paramref name="handedOver"/> whatever happens; the channel stays the caller's on failure.
    /// </summary>
    public static IFrameTransport ToWorker(FrameChannel authenticated, RingRegion? handedOver, bool workerMapped)
    {
        if (!workerMapped)
        {
            // No rings were handed over, or the worker could not map them (it said why on its standard error): the socket.
            handedOver?.Dispose();
            return authenticated;
        }

        if (handedOver is null)
        {
            throw new InvalidDataException("The worker's Hello says it mapped shared-memory rings, but none were handed to it.");
        }

        try
        {
            return SharedMemoryTransport.OverHandedRings(authenticated, handedOver, isCreator: true, authenticated.MaxFrameLength);
        }
        catch
        {
            handedOver.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Worker side, before it connects: maps the rings its parent handed over on stdin (<paramref name="offer"/>), or
    /// returns <see langword="null"/> when none were handed over. Throws <see cref="InvalidDataException"/> or
    /// <see cref="IOException"/> when they can't be mapped; the worker then stays on the socket and its Hello says so.
    /// </summary>
    public static RingRegion? MapHandedRings(TransportOffer offer) =>
        offer.Path.Length == 0 ? null : RingRegion.Open(offer.Path, offer.Capacity);

    /// <summary>Worker side: the transport to the parent, once this worker's Hello went out on <paramref name="connection"/> saying whether it mapped <paramref name="mapped"/>.</summary>
    public static IFrameTransport ToParent(FrameChannel connection, RingRegion? mapped) =>
        mapped is null ? connection : SharedMemoryTransport.OverHandedRings(connection, mapped, isCreator: false, connection.MaxFrameLength);

    /// <summary>
    /// The broker's side of the upgrade over a connection to a client already running: offers rings over
    /// <paramref name="authenticated"/> and waits for the client to map them, or sends the empty offer that keeps the socket.
    /// </summary>
    public static IFrameTransport OfferOverSocket(FrameChannel authenticated, WorkerTransport requested = WorkerTransport.Auto)
    {
        if (TransportChoice.UsesSharedMemory(requested))
        {
            return SharedMemoryTransport.Offer(authenticated, maxFrameLength: authenticated.MaxFrameLength);
        }

        using var writer = new Serialization.WireWriter();
        TransportOffer.StayOnSocket.Write(writer);
        authenticated.Send(FrameType.TransportOffer, writer.WrittenSpan, default);
        return authenticated;
    }
}
