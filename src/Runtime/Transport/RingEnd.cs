namespace ParallelGen.Transport;

/// <summary>
/// What a blocked side of a <see cref="SharedMemoryTransport"/> checks besides its ring: whether the peer is gone (its
/// socket ended: it died or closed) or this side was disposed. Set once, by the socket watcher or <c>Dispose</c>, which
/// then wake every futex of this side so that nothing stays asleep.
/// </summary>
internal sealed class RingEnd
{
    private const int Open = 0;
    private const int PeerGone = 1;
    private const int Disposed = 2;
    private int _state;

    /// <summary>True once the peer is gone or this side was disposed: waits end.</summary>
    public bool IsEnded => Volatile.Read(ref _state) != Open;

    public bool IsDisposed => Volatile.Read(ref _state) == Disposed;

    /// <summary>Why the peer's socket ended, when it ended with an error.</summary>
    public Exception? PeerError { get; private set; }

    /// <summary>Marks the peer gone; false when something had already ended the transport.</summary>
    public bool MarkPeerGone(Exception? error)
    {
        PeerError = error;
        return Interlocked.CompareExchange(ref _state, PeerGone, Open) == Open;
    }

    /// <summary>Marks this side disposed (also after the peer went).</summary>
    public void MarkDisposed() => Volatile.Write(ref _state, Disposed);

    /// <summary>The exception for a send that can't reach the peer, or a receive cut off in the middle of a frame.</summary>
    public Exception Failure(string what) => IsDisposed
        ? new ObjectDisposedException(nameof(SharedMemoryTransport), $"The shared-memory transport was disposed on this side while {what}.")
        : new IOException($"The peer process closed its connection or died while {what}.", PeerError);
}
