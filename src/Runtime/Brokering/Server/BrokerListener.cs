using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Brokering.Server;

/// <summary>
/// Lets other processes reach a <see cref="BrokerServer"/>: on a Unix socket in a private directory
/// (mode 0700) with a random secret, or, for a manager whose user opted in, on a TCP endpoint or a Unix
/// socket path of the user's choosing, with an authentication key. Each connection gets its own thread, so a busy thread pool in the host can't
/// stall other processes' queues.
/// </summary>
internal sealed class BrokerListener : IDisposable
{
    /// <summary>Per receive, for the private socket only (this user's processes); network peers get <see cref="BrokerLimits.HandshakeDeadline"/>.</summary>
    private static readonly TimeSpan AuthenticationTimeout = TimeSpan.FromSeconds(10);

    // PARALLELGEN_PIPE_BATCH=0: a batch of posted sends is carried out one message at a time, even by an object that takes batches (a pipe), as before (for A/B runs).
    private static readonly bool PostedBatches = Environment.GetEnvironmentVariable("PARALLELGEN_PIPE_BATCH") != "0";

    private readonly BrokerServer _server;
    private readonly PrivateEndpoint? _unix;
    private readonly Socket? _tcp;
    private readonly byte[] _credential;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Socket> _connections = [];
    private int _pending;

    private BrokerListener(BrokerServer server, PrivateEndpoint? unix, Socket? tcp, byte[] credential)
    {
        _server = server;
        _unix = unix;
        _tcp = tcp;
        _credential = credential;
        _ = AcceptLoopAsync();
    }

    /// <summary>What a handle carries to reach this listener.</summary>
    public BrokerAddress Address => _unix is not null
        ? new BrokerAddress(BrokerAddress.UnixScheme + _unix.SocketPath, _credential, Environment.ProcessId)
        : _tcp!.LocalEndPoint is UnixDomainSocketEndPoint named
            ? new BrokerAddress(BrokerAddress.KeyedUnixScheme + named, _credential, Environment.ProcessId)
            : new BrokerAddress(BrokerAddress.TcpScheme + FormatEndPoint(_tcp.LocalEndPoint!), _credential, Environment.ProcessId);

    /// <summary>The private directory holding the Unix socket (null for TCP).</summary>
    public string? Directory => _unix?.Directory;

    public EndPoint? NetworkEndPoint => _tcp?.LocalEndPoint;

    public static BrokerListener ListenPrivate(BrokerServer server)
    {
        var endpoint = PrivateEndpoint.Create();
        return new BrokerListener(server, endpoint, null, endpoint.Secret);
    }

    /// <summary>Listens on a TCP endpoint, or on a Unix socket path the user chose; either way peers must prove <paramref name="authenticationKey"/>.</summary>
    public static BrokerListener ListenNetwork(BrokerServer server, EndPoint endpoint, byte[] authenticationKey)
    {
        bool unix = endpoint is UnixDomainSocketEndPoint;
        if (unix)
        {
            RemoveStaleSocket(endpoint.ToString()!);
        }

        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(128);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new BrokerListener(server, null, socket, authenticationKey);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _unix?.Dispose();
        string? namedSocket = (_tcp?.LocalEndPoint as UnixDomainSocketEndPoint)?.ToString();
        _tcp?.Dispose();
        if (namedSocket is not null)
        {
            File.Delete(namedSocket);
        }

        Socket[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }

        foreach (Socket connection in open)
        {
            try
            {
                connection.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }

            connection.Dispose();
        }
    }

    /// <summary>
    /// A socket file left by a manager that was killed would make Bind fail with "address in use" forever: remove it
    /// when nothing answers there, but never take the path from a live listener or delete a file that isn't a socket.
    /// </summary>
    private static void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        if (IsListening(path))
        {
            throw new IOException($"Another process already listens on the Unix socket {path}: choose another path, or stop that manager first.");
        }

        // A socket file has no content; anything with content is someone's file, not a leftover of ours.
        if (new FileInfo(path).Length > 0)
        {
            throw new IOException($"{path} exists and is not a socket: a manager won't replace it. Choose another path.");
        }

        File.Delete(path);
    }

    private static bool IsListening(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static string FormatEndPoint(EndPoint endpoint) => endpoint switch
    {
        IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } ip => $"[{ip.Address}]:{ip.Port}",
        IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        _ => endpoint.ToString() ?? "",
    };

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = _unix is not null
                    ? await _unix.AcceptAsync(_stop.Token).ConfigureAwait(false)
                    : await _tcp!.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_gate)
            {
                if (_stop.IsCancellationRequested)
                {
                    socket.Dispose();
                    return;
                }

                _connections.Add(socket);
            }

            if (_unix is not null)
            {
                // The private socket's directory only admits this user: a thread per connection, as before.
                new Thread(() => ServePrivate(socket)) { IsBackground = true, Name = "Parallel.Gen broker connection" }.Start();
            }
            else if (Interlocked.Increment(ref _pending) > BrokerLimits.MaxPendingConnections)
            {
                // Too many strangers are still proving themselves: this one is closed at once rather than queued.
                Interlocked.Decrement(ref _pending);
                Drop(socket);
            }
            else
            {
                _ = AuthenticateThenServeAsync(socket);
            }
        }
    }

    /// <summary>
    /// A network peer proves the key asynchronously, holding no thread, within one deadline for the whole handshake (a peer
    /// that trickles a byte at a time is cut off all the same); only then does it get a connection thread.
    /// </summary>
    private async Task AuthenticateThenServeAsync(Socket socket)
    {
        int processId = -1;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            deadline.CancelAfter(BrokerLimits.HandshakeDeadline);
            processId = await BrokerAuthentication.AcceptNetworkAsync(socket, _credential, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }

        if (processId < 0)
        {
            Drop(socket);
            return;
        }

        // After the handshake, a frame length is still bounded: a client with the key must not make the manager allocate a gigabyte.
        var channel = new FrameChannel(socket, BrokerLimits.MaxNetworkRequestLength);
        new Thread(() => Serve(socket, channel, processId)) { IsBackground = true, Name = "Parallel.Gen broker connection" }.Start();
    }

    private void ServePrivate(Socket socket)
    {
        // Until the peer has proved itself it may only send small frames: a forged length must not allocate a gigabyte.
        var channel = new FrameChannel(socket, ProtocolConstants.MaxHelloLength);
        int processId = -1;
        try
        {
            socket.ReceiveTimeout = (int)AuthenticationTimeout.TotalMilliseconds;
            processId = BrokerAuthentication.AcceptUnix(channel, _credential);
            socket.ReceiveTimeout = 0;
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException or Serialization.WireFormatException)
        {
        }

        if (processId < 0)
        {
            Drop(socket);
            return;
        }

        Serve(socket, new FrameChannel(socket), processId, local: true);
    }

    /// <summary>
    /// Serves one authenticated client until it leaves. A <paramref name="local"/> client (it proved the private socket's
    /// secret) moves to shared memory here; network clients, and those of a keyed Unix path, stay on their socket.
    /// </summary>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Serve(Socket socket, FrameChannel channel, int processId, bool local = false)
    {
        var caller = new BrokerCaller(processId);
        IFrameTransport? transport = null;
        try
        {
            transport = local ? BrokerTransport.ToClient(channel) : channel;
            var sendGate = new Lock();

            // Posted requests (a producer's Puts and Sends) are answered at once and only on failure: one reply serves them all,
            // unless an object parked it, and then the next one gets a new reply.
            RefusalOnlyReply? posted = null;
            while (transport.Receive() is { } frame)
            {
                using (frame)
                {
                    if (frame.Type != FrameType.BrokerRequest)
                    {
                        throw new InvalidDataException($"Unexpected {frame.Type} frame of {frame.Length} bytes from a broker client.");
                    }

                    ReadOnlySpan<byte> body = frame.Body;
                    BrokerRequestHeader request = BrokerRequestHeader.Read(body);
                    if (request.Op == BrokerOp.PostBatch && request.RequestId < 0)
                    {
                        // Posted requests to one object, in the order they were posted: each is carried out as if it came alone.
                        var entries = new BrokerPostBatch.Reader(body[BrokerRequestHeader.Length..]);
                        if (PostedBatches && _server.Find(request.ObjectId) is IPostedBatchTarget target && target.TakesBatchesOf(entries.Op))
                        {
                            // The object takes the batch itself (a pipe: many sends per lock); an entry it leaves (one that may be refused) goes the usual way.
                            while (target.TakePosted(ref entries, out ReadOnlySpan<byte> unhandled))
                            {
                                posted = posted is { IsFree: true } ? posted.Reuse(request.RequestId) : new RefusalOnlyReply(caller, request.RequestId, transport, sendGate);
                                _server.Dispatch(caller, entries.Op, request.ObjectId, unhandled, posted);
                            }

                            continue;
                        }

                        while (entries.TryNext(out ReadOnlySpan<byte> operands))
                        {
                            posted = posted is { IsFree: true } ? posted.Reuse(request.RequestId) : new RefusalOnlyReply(caller, request.RequestId, transport, sendGate);
                            _server.Dispatch(caller, entries.Op, request.ObjectId, operands, posted);
                        }

                        continue;
                    }

                    BrokerReply reply = request.RequestId switch
                    {
                        0 => new DiscardedReply(caller),
                        < 0 => posted = posted is { IsFree: true } ? posted.Reuse(request.RequestId) : new RefusalOnlyReply(caller, request.RequestId, transport, sendGate),
                        _ => new ConnectionReply(caller, request.RequestId, transport, sendGate),
                    };
                    _server.Dispatch(caller, request.Op, request.ObjectId, body[BrokerRequestHeader.Length..], reply);
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException or Serialization.WireFormatException or OutOfMemoryException)
        {
            // The peer left, spoke garbage, or sent a frame too big to hold: drop this connection; the broker carries on.
        }
        finally
        {
            caller.Gone();
            transport?.Dispose();
            channel.Dispose();
            Drop(socket);
        }
    }

    private void Drop(Socket socket)
    {
        lock (_gate)
        {
            _connections.Remove(socket);
        }

        socket.Dispose();
    }

    /// <summary>
    /// The reply to a posted request (a negative id: minus the object's id): the caller didn't wait, so only a failure is
    /// sent back, and the caller throws it on its next call on that object.
    /// </summary>
    private sealed class RefusalOnlyReply(BrokerCaller caller, long requestId, IFrameTransport transport, Lock sendGate) : ConnectionReply(caller, requestId, transport, sendGate)
    {
        /// <summary>The reply to the next posted request, once this one is free (<see cref="BrokerReply.IsFree"/>).</summary>
        public RefusalOnlyReply Reuse(long requestId)
        {
            Rearm(requestId);
            return this;
        }

        protected override bool Deliver(BrokerStatus status, ReadOnlySpan<byte> payload) => status != BrokerStatus.Error || base.Deliver(status, payload);
    }

    /// <summary>A reply sent back over the connection its request came on.</summary>
    private class ConnectionReply(BrokerCaller caller, long requestId, IFrameTransport transport, Lock sendGate) : BrokerReply(caller, requestId)
    {
        protected override bool Deliver(BrokerStatus status, ReadOnlySpan<byte> payload)
        {
            Span<byte> header = stackalloc byte[BrokerReplyHeader.Length];
            new BrokerReplyHeader(RequestId, status).Write(header);
            try
            {
                lock (sendGate)
                {
                    transport.Send(FrameType.BrokerReply, header, payload);
                }

                return true;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
            {
                return false;
            }
        }
    }
}
