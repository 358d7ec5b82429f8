using ParallelGen.Protocol;

namespace ParallelGen.Transport;

/// <summary>
/// THE TRANSPORT UPGRADE POINTS: the one place on each side of a parent-worker connection where the authenticated socket
/// becomes the transport that the rest of the conversation runs over. Today both return the socket transport unchanged.
/// A faster transport (shared-memory rings) is plugged in here and nowhere else; it must keep the socket open beside it,
/// since the socket's end of stream is how either side learns that the other died (crash, kill, timeout).
/// </summary>
/// <remarks>
/// Parent side: called for every pool worker (<c>LocalProcessExecutor.Admit</c>) and every <c>WorkerProcess</c>
/// (<c>WorkerProcessChannel.AcceptAsync</c>) once its Hello proved the secret. Worker side: called by
/// <c>WorkerLoop.Run</c> (pool workers and <c>WorkerProcess</c> children alike) right after the Hello was sent. The two
/// must agree: whatever the parent sets up over the socket here, the worker expects here.
/// </remarks>
internal static class TransportUpgrade
{
    /// <summary>Parent side: the transport to a worker whose Hello on <paramref name="authenticated"/> proved the secret.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The seam: another transport is returned here once one exists.")]
    public static IFrameTransport ToWorker(FrameChannel authenticated) => authenticated;

    /// <summary>Worker side: the transport to the parent, once this worker's Hello went out on <paramref name="connection"/>.</summary>
    public static IFrameTransport ToParent(IFrameTransport connection) => connection;
}
