using System.Buffers;
using System.Net.Sockets;

namespace ParallelGen.Protocol;

/// <summary>
/// Length-prefixed frames over a connected stream socket. One reader and one writer at a time
/// (the caller serialises each side). Bodies of received frames are pooled: return them with
/// <see cref="ReceivedFrame.Dispose"/>.
/// </summary>
/// <remarks>
/// Small frames cost one system call each way: a frame up to <see cref="CoalesceLimit"/> bytes is
/// assembled and sent with one send, and receives read ahead into a buffer so a header and its body
/// (often several frames) arrive with one receive. Large bodies bypass the buffers.
/// </remarks>
internal sealed class FrameChannel : IFrameTransport
{
    /// <summary>Frames up to this size (header included) are assembled and sent with one system call.</summary>
    public const int CoalesceLimit = 64 * 1024;

    private readonly Socket _socket;
    private readonly int _maxFrameLength;
    private readonly byte[] _receiveHeader = new byte[ProtocolConstants.HeaderLength];
    private readonly byte[] _sendHeader = new byte[ProtocolConstants.HeaderLength];
    private readonly byte[] _inbox = new byte[CoalesceLimit];
    private byte[]? _outbox;
    private int _inboxStart;
    private int _inboxEnd;

    public FrameChannel(Socket socket, int maxFrameLength = ProtocolConstants.DefaultMaxFrameLength)
    {
        _socket = socket;
        _maxFrameLength = maxFrameLength;
    }

    public Socket Socket => _socket;

    /// <summary>The largest frame body this channel accepts; a transport that replaces it keeps the same limit.</summary>
    public int MaxFrameLength => _maxFrameLength;

    /// <summary>Receives the next frame, or <see langword="null"/> when the peer closed the connection cleanly between frames.</summary>
    public async ValueTask<ReceivedFrame?> ReceiveAsync(CancellationToken cancellationToken, int? maxLength = null)
    {
        if (!await FillAsync(_receiveHeader, allowCleanEnd: true, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        FrameHeader header = FrameHeader.Parse(_receiveHeader, maxLength ?? _maxFrameLength);
        byte[] body = ArrayPool<byte>.Shared.Rent(Math.Max(header.BodyLength, 1));
        try
        {
            await FillAsync(body.AsMemory(0, header.BodyLength), allowCleanEnd: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(body);
            throw;
        }

        return new ReceivedFrame(header.Type, body, header.BodyLength);
    }

    /// <summary>
    /// Blocking receive of a frame whose body may be at most <paramref name="maxLength"/> bytes (the channel's limit when
    /// <see langword="null"/>), for a thread that does nothing else (a worker's serving threads, the parent's reply reader):
    /// it keeps running even when every pool thread is busy, and the kernel wakes it directly when a frame arrives.
    /// </summary>
    public ReceivedFrame? Receive(int? maxLength = null)
    {
        if (!Fill(_receiveHeader, allowCleanEnd: true))
        {
            return null;
        }

        FrameHeader header = FrameHeader.Parse(_receiveHeader, maxLength ?? _maxFrameLength);
        byte[] body = ArrayPool<byte>.Shared.Rent(Math.Max(header.BodyLength, 1));
        try
        {
            Fill(body.AsSpan(0, header.BodyLength), allowCleanEnd: false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(body);
            throw;
        }

        return new ReceivedFrame(header.Type, body, header.BodyLength);
    }

    /// <summary>Sends a frame whose body is <paramref name="prefix"/> followed by <paramref name="payload"/>, without copying the payload.</summary>
    public async ValueTask SendAsync(FrameType type, ReadOnlyMemory<byte> prefix, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        int total = ProtocolConstants.HeaderLength + prefix.Length + payload.Length;
        if (total <= CoalesceLimit)
        {
            byte[] outbox = _outbox ??= new byte[CoalesceLimit];
            FrameHeader.Write(outbox, type, prefix.Length + payload.Length);
            prefix.Span.CopyTo(outbox.AsSpan(ProtocolConstants.HeaderLength));
            payload.Span.CopyTo(outbox.AsSpan(ProtocolConstants.HeaderLength + prefix.Length));
            await SendAllAsync(outbox.AsMemory(0, total), cancellationToken).ConfigureAwait(false);
            return;
        }

        FrameHeader.Write(_sendHeader, type, prefix.Length + payload.Length);
        await SendAllAsync(_sendHeader, cancellationToken).ConfigureAwait(false);
        if (!prefix.IsEmpty)
        {
            await SendAllAsync(prefix, cancellationToken).ConfigureAwait(false);
        }

        if (!payload.IsEmpty)
        {
            await SendAllAsync(payload, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Blocking send of a frame whose body is <paramref name="prefix"/> followed by <paramref name="payload"/>. A small frame (at
    /// most <see cref="CoalesceLimit"/> bytes with its header) goes with one system call, from the caller's thread: an idle
    /// peer's socket buffer takes it at once, so nothing waits and no other thread is woken. A large payload is not copied.
    /// </summary>
    /// <remarks>
    /// A socket only ever used with blocking calls stays a blocking socket in the kernel, so its reads wake the reading thread
    /// directly; the first asynchronous call would switch it to epoll-driven I/O for good, one more thread hand-off per frame.
    /// </remarks>
    public void Send(FrameType type, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> payload)
    {
        int total = ProtocolConstants.HeaderLength + prefix.Length + payload.Length;
        if (total <= CoalesceLimit)
        {
            byte[] outbox = _outbox ??= new byte[CoalesceLimit];
            FrameHeader.Write(outbox, type, prefix.Length + payload.Length);
            prefix.CopyTo(outbox.AsSpan(ProtocolConstants.HeaderLength));
            payload.CopyTo(outbox.AsSpan(ProtocolConstants.HeaderLength + prefix.Length));
            SendAll(outbox.AsSpan(0, total));
            return;
        }

        FrameHeader.Write(_sendHeader, type, prefix.Length + payload.Length);
        SendAll(_sendHeader);
        SendAll(prefix);
        SendAll(payload);
    }

    /// <summary>Blocking send of a frame whose body (after the 5 header bytes) is already in <paramref name="frame"/>; fills in the header.</summary>
    public void SendPrepared(Span<byte> frame, FrameType type)
    {
        FrameHeader.Write(frame, type, frame.Length - ProtocolConstants.HeaderLength);
        while (!frame.IsEmpty)
        {
            int sent = _socket.Send(frame);
            frame = frame[sent..];
        }
    }

    /// <summary>Blocking send of bytes that are already whole frames, headers included (several frames batched into one system call).</summary>
    public void SendFrames(ReadOnlySpan<byte> frames) => SendAll(frames);

    public void CompleteSending() => _socket.Shutdown(SocketShutdown.Send);

    public void Dispose() => _socket.Dispose();

    private void SendAll(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = _socket.Send(data);
            data = data[sent..];
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private async ValueTask<bool> FillAsync(Memory<byte> buffer, bool allowCleanEnd, CancellationToken cancellationToken)
    {
        int filled = TakeBuffered(buffer.Span);
        while (filled < buffer.Length)
        {
            bool readAhead = buffer.Length - filled < _inbox.Length;
            int read = await _socket.ReceiveAsync(readAhead ? _inbox : buffer[filled..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return EndOfStream(filled, buffer.Length, allowCleanEnd);
            }

            if (readAhead)
            {
                (_inboxStart, _inboxEnd) = (0, read);
                filled += TakeBuffered(buffer.Span[filled..]);
            }
            else
            {
                filled += read;
            }
        }

        return true;
    }

    private bool Fill(Span<byte> buffer, bool allowCleanEnd)
    {
        int filled = TakeBuffered(buffer);
        while (filled < buffer.Length)
        {
            bool readAhead = buffer.Length - filled < _inbox.Length;
            int read = _socket.Receive(readAhead ? _inbox : buffer[filled..]);
            if (read == 0)
            {
                return EndOfStream(filled, buffer.Length, allowCleanEnd);
            }

            if (readAhead)
            {
                (_inboxStart, _inboxEnd) = (0, read);
                filled += TakeBuffered(buffer[filled..]);
            }
            else
            {
                filled += read;
            }
        }

        return true;
    }

    /// <summary>Moves already-received bytes into <paramref name="destination"/>; returns how many.</summary>
    private int TakeBuffered(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _inboxEnd - _inboxStart);
        _inbox.AsSpan(_inboxStart, count).CopyTo(destination);
        _inboxStart += count;
        return count;
    }

    private static bool EndOfStream(int filled, int wanted, bool allowCleanEnd) => filled == 0 && allowCleanEnd
        ? false
        : throw new EndOfStreamException($"The connection closed in the middle of a frame ({filled} of {wanted} bytes received).");
}

/// <summary>A received frame whose pooled body buffer must be returned with <see cref="Dispose"/>.</summary>
internal sealed class ReceivedFrame(FrameType type, byte[] buffer, int length) : IDisposable
{
    private byte[]? _buffer = buffer;

    public FrameType Type { get; } = type;

    public int Length { get; } = length;

    public ReadOnlySpan<byte> Body => (_buffer ?? throw new ObjectDisposedException(nameof(ReceivedFrame))).AsSpan(0, Length);

    public ReadOnlyMemory<byte> BodyMemory => (_buffer ?? throw new ObjectDisposedException(nameof(ReceivedFrame))).AsMemory(0, Length);

    /// <summary>Hands the pooled body buffer to a new owner, who returns it to the pool.</summary>
    public byte[] DetachBuffer() => Interlocked.Exchange(ref _buffer, null) ?? throw new ObjectDisposedException(nameof(ReceivedFrame));

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
