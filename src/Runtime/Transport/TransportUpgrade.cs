using ParallelGen.Protocol;

namespace ParallelGen.Transport;

/// <summary>
/// THE TRANSPORT UPGRADE POINTS: the one place on each side of a parent-worker connection where the authenticated socket
/// becomes the transport that the rest of the conversation runs over: shared-memory rings beside the socket
/// (<see cref="SharedMemoryTransport"/>, the default on Linux), or the socket alone. The socket stays open either way,
/// since its end of stream is how either side learns that the other died (crash, kill, timeout).
/// </summary>
/// <remarks>
/// Parent side: called for every pool worker (<c>LocalProcessExecutor.Admit</c>) and every <c>WorkerProcess</c>
/// (<c>WorkerProcessExecutor.AcceptAsync</c>) once its Hello proved the secret. Worker side: called by
/// <c>WorkerLoop.Run</c> (pool workers and <c>WorkerProcess</c> children alike) right after the Hello was sent. The parent
/// decides and always sends exactly one <see cref="FrameType.TransportOffer"/>: a region to map, or an empty one that
/// means "stay on the socket"; the worker follows, so the two always agree.
/// </remarks>
internal static class TransportUpgrade
{
    /// <summary>Parent side: the transport to a worker whose Hello on <paramref name="authenticated"/> proved the secret.</summary>
    public static IFrameTransport ToWorker(FrameChannel authenticated, WorkerTransport requested = WorkerTransport.Auto)
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

    /// <summary>Worker side: the transport to the parent, once this worker's Hello went out on <paramref name="connection"/>.</summary>
    public static IFrameTransport ToParent(IFrameTransport connection) => connection is not FrameChannel channel ? connection : TransportOfferReader.Follow(
        channel,
        static () => new EndOfStreamException("The parent closed the connection right after this worker's Hello (it refused the worker or is exiting)."),
        static type => new InvalidDataException($"The parent's first frame was {type}, not {FrameType.TransportOffer}: the parent and this worker were built with different Parallel.Gen versions."));
}
