namespace ParallelGen.Protocol;

/// <summary>
/// The seam between frames and the bytes that carry them between two processes. Everything above it (the pool's
/// conversation with a worker, the broker's with its clients) speaks frames; what is below it (a Unix or TCP socket, or a
/// pair of shared-memory rings beside a socket kept for the handshake and for death detection) is this interface's
/// business alone.
/// </summary>
/// <remarks>
/// One reader and one writer at a time: callers serialise each side. <see cref="Receive"/> returns
/// <see langword="null"/> when the peer closed cleanly between frames and throws (<see cref="IOException"/>,
/// <see cref="System.Net.Sockets.SocketException"/>, <see cref="EndOfStreamException"/>) when the peer died mid-frame;
/// a transport whose peer process dies must end a blocked <see cref="Receive"/> either way, never leave it waiting.
/// </remarks>
internal interface IFrameTransport : IDisposable
{
    /// <summary>Blocking receive of the next frame whose body may be at most <paramref name="maxLength"/> bytes (the transport's limit when <see langword="null"/>).</summary>
    ReceivedFrame? Receive(int? maxLength = null);

    /// <summary>Asynchronous receive, for readers that must not hold a thread.</summary>
    ValueTask<ReceivedFrame?> ReceiveAsync(CancellationToken cancellationToken, int? maxLength = null);

    /// <summary>Blocking send of a frame whose body is <paramref name="prefix"/> followed by <paramref name="payload"/>.</summary>
    void Send(FrameType type, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> payload);

    /// <summary>Asynchronous send of a frame whose body is <paramref name="prefix"/> followed by <paramref name="payload"/>.</summary>
    ValueTask SendAsync(FrameType type, ReadOnlyMemory<byte> prefix, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Blocking send of a frame whose body (after the header) is already in <paramref name="frame"/>; fills in the header.</summary>
    void SendPrepared(Span<byte> frame, FrameType type);

    /// <summary>Blocking send of bytes that are already whole frames, headers included (several frames in one go).</summary>
    void SendFrames(ReadOnlySpan<byte> frames);

    /// <summary>
    /// Tells the peer that nothing more will be sent: its <see cref="Receive"/> returns <see langword="null"/> once it has
    /// read the frames already sent (a worker does this after its Goodbye, so the pool sees a clean end at once).
    /// </summary>
    void CompleteSending();
}
