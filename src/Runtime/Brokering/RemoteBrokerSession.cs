using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering;

/// <summary>
/// One connection from this process to a broker in another process, shared by every object of that
/// broker used here. Requests carry ids and answers may come in any order (a blocked Get doesn't
/// hold up a Put on the same connection). A dedicated thread reads the answers, so blocking callers
/// never depend on the thread pool. When the connection breaks, every pending call fails with an
/// <see cref="IOException"/> naming the process that hosted the object.
/// </summary>
internal sealed class RemoteBrokerSession : BrokerSession, IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly FrameChannel _channel;
    private readonly Lock _sendGate = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<BrokerResult>> _pending = new();
    private long _nextRequestId;
    private volatile Exception? _broken;

    private RemoteBrokerSession(BrokerAddress address, FrameChannel channel)
    {
        Address = address;
        _channel = channel;
        new Thread(ReadReplies) { IsBackground = true, Name = "Parallel.Gen broker client" }.Start();
    }

    public BrokerAddress Address { get; }

    public bool IsBroken => _broken is not null;

    public static RemoteBrokerSession Connect(BrokerAddress address)
    {
        Socket socket;
        try
        {
            socket = address.IsTcp ? ConnectTcp(address.Location) : ConnectUnix(address.Location);
        }
        catch (SocketException e)
        {
            throw new IOException(
                $"Can't reach {address.HostDescription}, which hosts this object ({address.Location}): " +
                (address.IsKeyed ? $"nothing accepts connections there ({e.SocketErrorCode})." : "it has exited, or disposed every object it hosted."), e);
        }

        var channel = new FrameChannel(socket);
        try
        {
            socket.ReceiveTimeout = (int)ConnectTimeout.TotalMilliseconds;
            if (address.IsKeyed)
            {
                BrokerAuthentication.ConnectTcp(channel, address.Credential, address.Location);
            }
            else
            {
                BrokerAuthentication.ConnectUnix(channel, address.Credential, address.Location);
            }

            socket.ReceiveTimeout = 0;
        }
        catch (SocketException e)
        {
            channel.Dispose();
            throw new IOException($"Lost the connection to {address.HostDescription} while proving this process's credentials: {e.Message}", e);
        }
        catch
        {
            channel.Dispose();
            throw;
        }

        return new RemoteBrokerSession(address, channel);
    }

    public override BrokerResult Invoke(BrokerOp op, long objectId, ReadOnlySpan<byte> operands, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        long requestId = Interlocked.Increment(ref _nextRequestId);
        var call = new TaskCompletionSource<BrokerResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = call;

        // Registered first, checked second: a break either sees this call or this call sees the break.
        if (_broken is { } broken)
        {
            _pending.TryRemove(requestId, out _);
            throw Lost(broken);
        }

        try
        {
            Send(requestId, op, objectId, operands);
            if (!WaitFor(call.Task, wait, cancellationToken))
            {
                Span<byte> target = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(target, requestId);
                Send(0, BrokerOp.CancelWait, 0, target);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _pending.TryRemove(requestId, out _);
            throw Lost(e);
        }

        return call.Task.GetAwaiter().GetResult();
    }

    public override Task<BrokerResult> InvokeAsync(BrokerOp op, long objectId, ReadOnlySpan<byte> operands, CancellationToken cancellationToken)
    {
        long requestId = Interlocked.Increment(ref _nextRequestId);
        var call = new TaskCompletionSource<BrokerResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = call;
        if (_broken is { } broken)
        {
            _pending.TryRemove(requestId, out _);
            return Task.FromException<BrokerResult>(Lost(broken));
        }

        try
        {
            Send(requestId, op, objectId, operands);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _pending.TryRemove(requestId, out _);
            return Task.FromException<BrokerResult>(Lost(e));
        }

        return call.Task.IsCompleted || !cancellationToken.CanBeCanceled ? call.Task : AnswerAsync(call.Task, () => CancelRemoteWait(requestId), cancellationToken);
    }

    public void Dispose() => _channel.Dispose();

    private void CancelRemoteWait(long requestId)
    {
        Span<byte> target = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(target, requestId);
        try
        {
            Send(0, BrokerOp.CancelWait, 0, target);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The connection broke: the reader fails the pending call with the reason.
        }
    }

    private void Send(long requestId, BrokerOp op, long objectId, ReadOnlySpan<byte> operands)
    {
        byte[] frame = new byte[ProtocolConstants.HeaderLength + 17 + operands.Length];
        Span<byte> body = frame.AsSpan(ProtocolConstants.HeaderLength);
        BinaryPrimitives.WriteInt64LittleEndian(body, requestId);
        body[8] = (byte)op;
        BinaryPrimitives.WriteInt64LittleEndian(body[9..], objectId);
        operands.CopyTo(body[17..]);
        lock (_sendGate)
        {
            _channel.SendPrepared(frame, FrameType.BrokerRequest);
        }
    }

    private void ReadReplies()
    {
        Exception? failure = null;
        try
        {
            while (_channel.Receive() is { } frame)
            {
                using (frame)
                {
                    if (frame.Type != FrameType.BrokerReply || frame.Length < 9)
                    {
                        throw new InvalidDataException($"Unexpected {frame.Type} frame of {frame.Length} bytes from a broker.");
                    }

                    long requestId = BinaryPrimitives.ReadInt64LittleEndian(frame.Body);
                    var result = new BrokerResult((BrokerStatus)frame.Body[8], frame.Body[9..].ToArray());
                    if (_pending.TryRemove(requestId, out TaskCompletionSource<BrokerResult>? call))
                    {
                        call.TrySetResult(result);
                    }
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException)
        {
            failure = e;
        }

        _broken = failure ?? new EndOfStreamException("The broker closed the connection.");
        BrokerSessions.Forget(this);
        foreach (long requestId in _pending.Keys)
        {
            if (_pending.TryRemove(requestId, out TaskCompletionSource<BrokerResult>? call))
            {
                call.TrySetException(Lost(_broken));
            }
        }

        _channel.Dispose();
    }

    private IOException Lost(Exception cause) => new(
        $"Lost the connection to {Address.HostDescription}, which hosts this object: it exited, or its owner disposed it. ({cause.Message})", cause);

    private static Socket ConnectUnix(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket ConnectTcp(string location)
    {
        int colon = location.LastIndexOf(':');
        string host = location[..colon].Trim('[', ']');
        int port = int.Parse(location[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            EndPoint endpoint = IPAddress.TryParse(host, out IPAddress? ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            socket.ConnectAsync(endpoint, timeout.Token).AsTask().GetAwaiter().GetResult();
            return socket;
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
