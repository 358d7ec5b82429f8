namespace ParallelGen.Transport;

/// <summary>
/// A transport that tells when its peer is gone without anyone sitting in a receive: its <see cref="PeerGone"/> token is
/// cancelled as soon as the peer's process closes its end or dies (or this side is disposed). A reader that only waits
/// for a death can then sleep elsewhere, leaving the receiving side free for whoever expects a frame.
/// </summary>
internal interface IPeerWatch
{
    /// <summary>Cancelled once the peer closed its connection or died, or this side was disposed; never before.</summary>
    CancellationToken PeerGone { get; }
}
