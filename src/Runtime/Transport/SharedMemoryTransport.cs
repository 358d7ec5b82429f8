using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Transport;

/// <summary>
/// Frames through two single-producer/single-consumer byte rings in memory that only the two processes map (one ring per
/// direction, <see cref="RingRegion"/>), beside the authenticated socket they first met on, which stays open for death
/// detection alone.
/// </summary>
/// <remarks>
/// <para>
/// Upgrade, two ways. A parent that starts the peer itself (a pool worker, a <c>WorkerProcess</c>) makes the region while
/// the process starts and hands its name over on the process's stdin; the peer maps it before it connects and says so in
/// its Hello; both sides then call <see cref="OverHandedRings"/> and the parent unlinks the name: no round trip. Between
/// processes already running (the broker and its manager clients), the creator (<see cref="Offer"/>) makes the region and
/// sends its name over the socket in a <see cref="FrameType.TransportOffer"/>; the peer (<see cref="Accept"/>) maps it and
/// answers <see cref="FrameType.TransportAccept"/>; the creator unlinks the name. From then on no frame travels on the socket.
/// </para>
/// <para>
/// A frame is its five header bytes and body, written into the ring as one byte stream (wrapping at the end; a frame
/// larger than the ring streams through it while the reader drains it). The writer publishes once per frame (or per
/// batch in <see cref="SendFrames"/>), and the reader takes everything published without a system call, so a burst of
/// frames costs at most one wake-up. Waits spin briefly by <see cref="SpinPolicy"/>, then sleep on a futex that the
/// other side wakes only when this side said it sleeps (<see cref="RingWriter"/>).
/// </para>
/// <para>
/// Death: a watcher (an asynchronous receive on the socket, no thread of its own) sees the peer's end of stream or error
/// at once, marks the transport ended and wakes every futex this side sleeps on. Frames already published are still
/// delivered; then <see cref="Receive"/> returns <see langword="null"/> (between frames, as a socket does) or throws
/// (mid-frame), and <see cref="Send"/> throws <see cref="IOException"/>.
/// </para>
/// </remarks>
internal sealed class SharedMemoryTransport : IFrameTransport, IPeerWatch
{
    /// <summary>Bytes in each ring: big enough for many small frames at once, small enough to stay in a core's L2 cache as it wraps.</summary>
    public const int DefaultCapacity = 256 * 1024;

    /// <summary>How long the creator waits for the peer to map the region: it is alive and reading, so this is generous.</summary>
    public static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(30);

    private readonly FrameChannel _channel;
    private readonly RingRegion _region;
    private readonly RingEnd _end = new();
    private readonly RingReader _reader;
    private readonly RingWriter _writer;
    private readonly int _maxFrameLength;
    private readonly byte[] _receiveHeader = new byte[ProtocolConstants.HeaderLength];
    private readonly CancellationTokenSource _peerGone = new();
    private int _disposed;

    private SharedMemoryTransport(FrameChannel channel, RingRegion region, bool isCreator, int maxFrameLength)
    {
        _channel = channel;
        _region = region;
        _maxFrameLength = maxFrameLength;
        _writer = new RingWriter(region, isCreator ? 0 : 1, _end);
        _reader = new RingReader(region, isCreator ? 1 : 0, _end);
        if (isCreator)
        {
            _ = WatchPeerAsync();
        }
        else
        {
            // The accepting side is usually a process just started (a worker): a blocking receive on a thread of its own
            // costs it a fraction of a millisecond, where its first asynchronous socket call would start the runtime's
            // socket engine (an epoll thread and a few milliseconds of JIT) on the way to its first chunk. The creator
            // serves many peers and keeps one asynchronous receive each, without a thread.
            new Thread(WatchPeerBlocking) { IsBackground = true, Name = "Parallel.Gen peer watch" }.Start();
        }
    }

    /// <summary>Cancelled by the socket watcher once the peer closed its socket or died, or this side closed it (Dispose).</summary>
    public CancellationToken PeerGone => _peerGone.Token;

    /// <summary>The region's file while it still has a name (tests check it is private and gone).</summary>
    internal string RegionPath => _region.Path;

    /// <summary>
    /// The creator's side of the upgrade over <paramref name="channel"/> (already authenticated, with nothing in flight):
    /// offers a fresh region, waits for the peer to map it, unlinks it, and returns the transport, which owns the channel.
    /// On failure the region is gone and the channel is left to the caller.
    /// </summary>
    public static SharedMemoryTransport Offer(FrameChannel channel, int capacity = DefaultCapacity, int maxFrameLength = ProtocolConstants.DefaultMaxFrameLength)
    {
        RingRegion region = RingRegion.Create(capacity);
        try
        {
            using (var writer = new WireWriter())
            {
                new TransportOffer(region.Path, capacity).Write(writer);
                channel.Send(FrameType.TransportOffer, writer.WrittenSpan, default);
            }

            int receiveTimeout = channel.Socket.ReceiveTimeout;
            channel.Socket.ReceiveTimeout = (int)AcceptTimeout.TotalMilliseconds;
            using (ReceivedFrame reply = channel.Receive(TransportOffer.MaxLength)
                ?? throw new EndOfStreamException("The peer closed its connection instead of accepting the shared-memory transport."))
            {
                channel.Socket.ReceiveTimeout = receiveTimeout;
                if (reply.Type != FrameType.TransportAccept)
                {
                    throw new InvalidDataException($"The peer answered the shared-memory transport offer with a {reply.Type} frame instead of {FrameType.TransportAccept}.");
                }
            }

            region.Unlink();
            return new SharedMemoryTransport(channel, region, isCreator: true, maxFrameLength);
        }
        catch
        {
            region.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Either side of a handover at launch: the peer mapped <paramref name="region"/> (its Hello said so, on
    /// <paramref name="channel"/>), so the transport starts at once; the creator's side unlinks the region's name first.
    /// The transport owns the channel and the region.
    /// </summary>
    public static SharedMemoryTransport OverHandedRings(FrameChannel channel, RingRegion region, bool isCreator, int maxFrameLength)
    {
        if (isCreator)
        {
            region.Unlink();
        }

        return new SharedMemoryTransport(channel, region, isCreator, maxFrameLength);
    }

    /// <summary>
    /// The peer's side of the upgrade: maps the region named by <paramref name="offer"/> (a <see cref="FrameType.TransportOffer"/>
    /// received on <paramref name="channel"/>), acknowledges, and returns the transport, which owns the channel.
    /// </summary>
    public static SharedMemoryTransport Accept(FrameChannel channel, ReceivedFrame offer, int maxFrameLength = ProtocolConstants.DefaultMaxFrameLength)
    {
        if (offer.Type != FrameType.TransportOffer)
        {
            throw new InvalidDataException($"Expected a {FrameType.TransportOffer} frame to switch to shared memory, got {offer.Type}.");
        }

        TransportOffer body = TransportOffer.Read(offer.Body);
        RingRegion region = RingRegion.Open(body.Path, body.Capacity);
        try
        {
            channel.Send(FrameType.TransportAccept, default, default);
            return new SharedMemoryTransport(channel, region, isCreator: false, maxFrameLength);
        }
        catch
        {
            region.Dispose();
            throw;
        }
    }

    public ReceivedFrame? Receive(int? maxLength = null) => ReceiveUntil(maxLength, CancellationToken.None);

    public ValueTask<ReceivedFrame?> ReceiveAsync(CancellationToken cancellationToken, int? maxLength = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_reader.HasData || _end.IsEnded)
        {
            return new ValueTask<ReceivedFrame?>(ReceiveUntil(maxLength, CancellationToken.None));
        }

        // Nothing yet: wait on a thread of our own rather than a pool thread (the wait may be long); cancellation wakes it.
        return new ValueTask<ReceivedFrame?>(Task.Factory.StartNew(
            () => ReceiveCancellable(maxLength, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    public void Send(FrameType type, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[ProtocolConstants.HeaderLength];
        FrameHeader.Write(header, type, prefix.Length + payload.Length);
        _region.Enter();
        try
        {
            ThrowIfEnded();
            _writer.Write(header);
            _writer.Write(prefix);
            _writer.Write(payload);
            _writer.Publish();
        }
        finally
        {
            _region.Exit();
        }
    }

    public ValueTask SendAsync(FrameType type, ReadOnlyMemory<byte> prefix, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long length = ProtocolConstants.HeaderLength + prefix.Length + payload.Length;
        if (length <= _writer.FreeSpace)
        {
            Send(type, prefix.Span, payload.Span);
            return ValueTask.CompletedTask;
        }

        // The ring must drain first: wait for room on a thread of our own, not a pool thread.
        return new ValueTask(Task.Factory.StartNew(
            () => Send(type, prefix.Span, payload.Span), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    public void SendPrepared(Span<byte> frame, FrameType type)
    {
        FrameHeader.Write(frame, type, frame.Length - ProtocolConstants.HeaderLength);
        SendFrames(frame);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SendFrames(ReadOnlySpan<byte> frames)
    {
        _region.Enter();
        try
        {
            ThrowIfEnded();
            _writer.Write(frames);
            _writer.Publish();
        }
        finally
        {
            _region.Exit();
        }
    }

    /// <summary>Nothing more will be sent: the peer's receive returns <see langword="null"/> once it has read the frames already sent.</summary>
    public void CompleteSending() => WhileMapped(() =>
    {
        if (!_end.IsEnded)
        {
            _writer.Close();
        }
    });

    /// <summary>Says goodbye on the ring (the peer's receive returns <see langword="null"/> after the last frame), wakes this side's waiters, closes the socket and unmaps.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        WhileMapped(() =>
        {
            // Disposed before the peer hears of it: the peer may exit at once on our close, and its end of stream must not
            // make a receive blocked on this side return as if the peer had closed first (it ends with ObjectDisposedException).
            bool peerThere = !_end.IsEnded;
            _end.MarkDisposed();
            if (peerThere)
            {
                _writer.Close();
            }

            _reader.WakeSelf();
            _writer.WakeSelf();
        });
        _end.MarkDisposed();
        _channel.Dispose();
        _region.Dispose();
    }

    private ReceivedFrame? ReceiveCancellable(int? maxLength, CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration registration = cancellationToken.Register(() => WhileMapped(_reader.WakeSelf));
        ReceivedFrame? frame = ReceiveUntil(maxLength, cancellationToken);
        if (frame is null && cancellationToken.IsCancellationRequested && !_end.IsEnded)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return frame;
    }

    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReceivedFrame? ReceiveUntil(int? maxLength, CancellationToken cancellationToken)
    {
        _region.Enter();
        try
        {
            if (!_reader.Read(_receiveHeader, allowCleanEnd: true, cancellationToken))
            {
                if (_end.IsDisposed)
                {
                    throw _end.Failure("waiting for a frame");
                }

                // Bytes on the socket after the switch are a broken protocol, not a clean end: say so, as a socket transport would.
                return _end.PeerError is InvalidDataException broken ? throw new InvalidDataException(broken.Message, broken) : null;
            }

            FrameHeader header = FrameHeader.Parse(_receiveHeader, maxLength ?? _maxFrameLength);
            byte[] body = ArrayPool<byte>.Shared.Rent(Math.Max(header.BodyLength, 1));
            try
            {
                _reader.Read(body.AsSpan(0, header.BodyLength), allowCleanEnd: false, CancellationToken.None);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(body);
                throw;
            }

            _reader.Release();
            return new ReceivedFrame(header.Type, body, header.BodyLength);
        }
        finally
        {
            _region.Exit();
        }
    }

    private void ThrowIfEnded()
    {
        if (_end.IsEnded)
        {
            throw _end.Failure("a frame was to be sent");
        }
    }

    /// <summary>
    /// Watches the socket, on which nothing more arrives after the upgrade: its end of stream (or error) means the peer
    /// process closed or died, and must end every wait of this side at once.
    /// </summary>
    private async Task WatchPeerAsync()
    {
        byte[] probe = new byte[ProtocolConstants.HeaderLength];
        try
        {
            int read = await _channel.Socket.ReceiveAsync(probe, SocketFlags.None).ConfigureAwait(false);
            PeerEnded(probe, read, error: null);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            PeerEnded(probe, 0, e);
        }
    }

    /// <summary>The same watch as <see cref="WatchPeerAsync"/> on a thread of its own; disposing the socket ends its receive.</summary>
    private void WatchPeerBlocking()
    {
        byte[] probe = new byte[ProtocolConstants.HeaderLength];
        try
        {
            // The handshake may have left a receive timeout on the socket; this wait lasts as long as the peer does.
            _channel.Socket.ReceiveTimeout = 0;
            PeerEnded(probe, _channel.Socket.Receive(probe, SocketFlags.None), error: null);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            PeerEnded(probe, 0, e);
        }
    }

    private void PeerEnded(byte[] probe, int read, Exception? error)
    {
        if (read != 0)
        {
            error = new InvalidDataException(
                $"The peer sent bytes on the socket after switching to the shared-memory transport ({Convert.ToHexString(probe, 0, read)}): frames go through the rings only.");
        }

        if (_end.MarkPeerGone(error))
        {
            WhileMapped(() =>
            {
                _reader.WakeSelf();
                _writer.WakeSelf();
            });
        }

        // After the wake-ups: whoever is told here finds the transport ended. The source is never disposed (it has no
        // timer), so this late cancel can't race a Dispose.
        _peerGone.Cancel();
    }

    /// <summary>Runs <paramref name="action"/> on the shared memory unless this side already unmapped it.</summary>
    private void WhileMapped(Action action)
    {
        try
        {
            _region.Enter();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            action();
        }
        finally
        {
            _region.Exit();
        }
    }
}
