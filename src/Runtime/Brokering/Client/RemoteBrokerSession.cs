using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using ParallelGen.Brokering.Managers;
using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Brokering.Client;

/// <summary>
/// One connection from this process to a broker in another process, shared by every object of that
/// broker used here. Requests carry ids and answers may come in any order (a blocked Get doesn't
/// hold up a Put on the same connection). When the connection breaks, every pending call fails with an
/// <see cref="IOException"/> naming the process that hosted the object.
/// </summary>
/// <remarks>
/// Posting (RemoteBrokerSession.Posting.cs) is what queue puts and pipe sends use. Who reads the answers
/// (RemoteBrokerSession.Reading.cs): a blocking call without a timeout reads them
/// itself on its own thread (the "leader"), so its answer costs no hand-off to another thread: over shared memory that
/// is the difference between a round trip of a few microseconds and one of tens. Calls that must be able to stop waiting
/// (a timeout, a cancellation token, an asynchronous call) are answered by a reader thread of the session instead, which
/// reads only while such calls are pending. Whoever reads hands every other caller its answer.
/// </remarks>
internal sealed partial class RemoteBrokerSession : BrokerSession, IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Past this many bytes waiting to be sent, a posting thread sends them itself (so a fast producer can't grow memory without bound).</summary>
    private const int OutboxLimit = 1024 * 1024;

    /// <summary>A batch frame of posted requests grows to at most this many bytes; a posted request this big or bigger goes alone.</summary>
    private const int MaxBatchLength = 32 * 1024;

    private readonly IFrameTransport _transport;

    // Frames go out in the order they were queued: every send appends to the outbox under _appendGate, and whoever holds
    // _writeGate takes the whole outbox and writes it with one system call. Posted (pipelined) requests are written by the
    // feeder thread, so while it writes, the next posts gather into the next batch.
    private readonly Lock _writeGate = new();
    private readonly Lock _appendGate = new();
    private readonly SemaphoreSlim _wakeFeeder = new(0);
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly ConcurrentDictionary<long, BrokerResult> _refusals = new();

    // How many refusals wait in _refusals: every Put and Send checks it, and ConcurrentDictionary.IsEmpty takes every lock when empty.
    private int _refusalCount;
    private byte[] _outbox = new byte[4096];
    private byte[]? _spare;
    private int _outboxLength;

    // Consecutive posted requests to one object share a batch frame (BrokerPostBatch): where in the outbox the open batch
    // starts (-1: the last frame is not one), and the object and operation its entries carry.
    private int _batchAt = -1;
    private long _batchObject;
    private BrokerOp _batchOp;
    private bool _feederWoken;
    private Thread? _feeder;
    private int _unconfirmed;
    private long _nextRequestId;
    private volatile Exception? _broken;

    private RemoteBrokerSession(BrokerAddress address, IFrameTransport transport)
    {
        Address = address;
        _transport = transport;
    }

    public BrokerAddress Address { get; }

    public bool IsBroken => _broken is not null;

    /// <summary>Whether requests were posted since the last <see cref="Confirm"/>: they may not have reached the broker yet.</summary>
    public bool HasUnconfirmed => Volatile.Read(ref _unconfirmed) != 0;

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
        IFrameTransport transport;
        try
        {
            socket.ReceiveTimeout = (int)ConnectTimeout.TotalMilliseconds;
            if (address.IsKeyed)
            {
                BrokerAuthentication.ConnectTcp(channel, ManagerKeys.For(address), address.Location);
                transport = channel;
            }
            else
            {
                // A local broker: after the secret, it says whether this connection moves to shared memory.
                BrokerAuthentication.ConnectUnix(channel, address.Credential, address.Location);
                transport = BrokerTransport.ToBroker(channel, address.Location);
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

        return new RemoteBrokerSession(address, transport);
    }

    public override BrokerResult Invoke(BrokerOp op, long objectId, ReadOnlySpan<byte> operands, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ThrowIfRefused(objectId);

        // A call that waits for good reads its own answer; one that may stop waiting leaves reading to the session's reader.
        bool leads = wait == Timeout.InfiniteTimeSpan && !cancellationToken.CanBeCanceled;
        (long requestId, PendingCall call) = Register(background: !leads);
        try
        {
            Send(requestId, op, objectId, operands);
            if (leads)
            {
                AwaitAnswer(call);
            }
            else if (!WaitFor(call.Task, wait, cancellationToken))
            {
                Span<byte> target = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(target, requestId);
                Send(0, BrokerOp.CancelWait, 0, target);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Unregister(requestId);
            throw Lost(e);
        }

        return call.Task.GetAwaiter().GetResult();
    }

    public override Task<BrokerResult> InvokeAsync(BrokerOp op, long objectId, ReadOnlySpan<byte> operands, CancellationToken cancellationToken)
    {
        ThrowIfRefused(objectId);
        (long requestId, PendingCall call) = Register(background: true);
        try
        {
            Send(requestId, op, objectId, operands);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Unregister(requestId);
            return Task.FromException<BrokerResult>(Lost(e));
        }

        return call.Task.IsCompleted || !cancellationToken.CanBeCanceled ? call.Task : AnswerAsync(call.Task, () => CancelRemoteWait(requestId), cancellationToken);
    }

    public void Dispose()
    {
        _disposed = true;
        _transport.Dispose();
        _readerWanted.Release();
    }

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

    /// <summary>Sends one request now, after everything queued before it (posted requests included), in one system call with them.</summary>
    private void Send(long requestId, BrokerOp op, long objectId, ReadOnlySpan<byte> operands)
    {
        lock (_writeGate)
        {
            lock (_appendGate)
            {
                Append(requestId, op, objectId, operands);
            }

            WriteOutboxLocked();
        }
    }

    /// <summary>Call under <see cref="_appendGate"/>: adds one request frame to the outbox.</summary>
    private void Append(long requestId, BrokerOp op, long objectId, ReadOnlySpan<byte> operands)
    {
        int length = ProtocolConstants.HeaderLength + BrokerRequestHeader.Length + operands.Length;
        EnsureOutbox(length);

        Span<byte> frame = _outbox.AsSpan(_outboxLength, length);
        FrameHeader.Write(frame, FrameType.BrokerRequest, length - ProtocolConstants.HeaderLength);
        Span<byte> body = frame[ProtocolConstants.HeaderLength..];
        new BrokerRequestHeader(requestId, op, objectId).Write(body);
        operands.CopyTo(body[BrokerRequestHeader.Length..]);
        _outboxLength += length;
        _batchAt = -1;
    }

    /// <summary>Call under <see cref="_appendGate"/>: makes room for <paramref name="length"/> more bytes in the outbox.</summary>
    private void EnsureOutbox(int length)
    {
        if (_outbox.Length - _outboxLength < length)
        {
            Array.Resize(ref _outbox, Math.Max(_outbox.Length * 2, _outboxLength + length));
        }
    }

    private void WriteOutbox()
    {
        lock (_writeGate)
        {
            WriteOutboxLocked();
        }
    }

    /// <summary>Call under <see cref="_writeGate"/>: takes everything queued so far and writes it (one system call when the socket has room).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteOutboxLocked()
    {
        byte[] batch;
        int length;
        lock (_appendGate)
        {
            batch = _outbox;
            length = _outboxLength;
            _outbox = _spare ?? new byte[4096];
            _spare = null;
            _outboxLength = 0;
            _batchAt = -1;
            _feederWoken = false;
        }

        try
        {
            _transport.SendFrames(batch.AsSpan(0, length));
        }
        finally
        {
            // Only the writer (holding _writeGate) swaps in the spare; an outsized batch buffer is not kept.
            if (batch.Length <= 64 * 1024)
            {
                lock (_appendGate)
                {
                    _spare = batch;
                }
            }
        }
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
