using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Client;

/// <summary>
/// Reading: who reads the broker's answers and hands them out. One thread at a time holds the read gate and reads frames
/// until what it waits for has come, completing every pending call whose answer it reads on the way.
/// </summary>
/// <remarks>
/// <para>
/// A blocking call without a timeout (a dictionary get or set, a queue Get) takes the gate itself when it is free, so the
/// thread that asked is the thread that wakes up with the answer: no hand-off, and over shared memory it spins briefly in
/// the transport before it sleeps. When another thread reads, the call waits as a follower until its answer is handed to
/// it or the gate comes free (then it takes over).
/// </para>
/// <para>
/// Calls that must be able to stop waiting (a timeout, a token, an asynchronous call) count in <see cref="_backgroundCalls"/>;
/// the session's reader thread reads while that count is above zero and sleeps otherwise, so an idle session has no thread
/// reading or spinning. The broker answers every such call in the end (a cancelled wait is answered Cancelled), or the
/// connection breaks, which fails every pending call.
/// </para>
/// </remarks>
internal sealed partial class RemoteBrokerSession
{
    private readonly object _followers = new();
    private readonly SemaphoreSlim _readerWanted = new(0);
    private int _reading;
    private int _followerCount;
    private int _backgroundCalls;
    private Thread? _reader;
    private volatile bool _disposed;

    /// <summary>A call waiting for its answer.</summary>
    private sealed class PendingCall(bool background) : TaskCompletionSource<BrokerResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        /// <summary>Whether the session's reader thread must read its answer (its caller may stop waiting).</summary>
        public bool Background { get; } = background;
    }

    /// <summary>Registers a call before its request goes out, so whoever reads its answer finds it.</summary>
    private (long RequestId, PendingCall Call) Register(bool background)
    {
        long requestId = Interlocked.Increment(ref _nextRequestId);
        var call = new PendingCall(background);
        if (background)
        {
            Interlocked.Increment(ref _backgroundCalls);
        }

        _pending[requestId] = call;

        // Registered first, checked second: a break either sees this call or this call sees the break.
        if (_broken is { } broken)
        {
            Unregister(requestId);
            throw Lost(broken);
        }

        if (background)
        {
            StartReader();
            _readerWanted.Release();
        }

        return (requestId, call);
    }

    private void Unregister(long requestId)
    {
        if (_pending.TryRemove(requestId, out PendingCall? call) && call.Background)
        {
            Interlocked.Decrement(ref _backgroundCalls);
        }
    }

    /// <summary>Blocks until <paramref name="call"/> is answered (or failed by a break), reading answers itself whenever nobody else does.</summary>
    private void AwaitAnswer(PendingCall call)
    {
        while (!call.Task.IsCompleted)
        {
            if (TryTakeGate())
            {
                try
                {
                    while (!call.Task.IsCompleted && ReadOne())
                    {
                    }
                }
                finally
                {
                    ReleaseGate();
                }

                return;
            }

            WaitAsFollower(() => call.Task.IsCompleted);
        }
    }

    private bool TryTakeGate() => Interlocked.CompareExchange(ref _reading, 1, 0) == 0;

    private void ReleaseGate()
    {
        Interlocked.Exchange(ref _reading, 0);
        WakeFollowers();
    }

    /// <summary>Sleeps until <paramref name="done"/> holds or the read gate is free (then the caller tries to take it).</summary>
    private void WaitAsFollower(Func<bool> done)
    {
        Interlocked.Increment(ref _followerCount);
        try
        {
            lock (_followers)
            {
                while (!done() && Volatile.Read(ref _reading) != 0 && _broken is null)
                {
                    Monitor.Wait(_followers);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _followerCount);
        }
    }

    private void WakeFollowers()
    {
        if (Volatile.Read(ref _followerCount) > 0)
        {
            lock (_followers)
            {
                Monitor.PulseAll(_followers);
            }
        }
    }

    private void StartReader()
    {
        if (_reader is not null)
        {
            return;
        }

        lock (_followers)
        {
            if (_reader is null)
            {
                _reader = new Thread(ReadForOthers) { IsBackground = true, Name = "Parallel.Gen broker client" };
                _reader.Start();
            }
        }
    }

    /// <summary>The session's reader thread: reads while calls that may stop waiting are pending; sleeps otherwise.</summary>
    private void ReadForOthers()
    {
        while (true)
        {
            _readerWanted.Wait();
            while (Volatile.Read(ref _backgroundCalls) > 0 && _broken is null && !_disposed)
            {
                if (!TryTakeGate())
                {
                    WaitAsFollower(() => Volatile.Read(ref _backgroundCalls) == 0);
                    continue;
                }

                try
                {
                    while (Volatile.Read(ref _backgroundCalls) > 0 && ReadOne())
                    {
                    }
                }
                finally
                {
                    ReleaseGate();
                }
            }

            if (_broken is not null || _disposed)
            {
                return;
            }
        }
    }

    /// <summary>Reads one frame and hands it out; <see langword="false"/> once the connection broke (every pending call then failed).</summary>
    private bool ReadOne()
    {
        try
        {
            using ReceivedFrame? frame = _transport.Receive();
            if (frame is null)
            {
                Break(new EndOfStreamException("The broker closed the connection."));
                return false;
            }

            if (frame.Type != FrameType.BrokerReply)
            {
                throw new InvalidDataException($"Unexpected {frame.Type} frame of {frame.Length} bytes from a broker.");
            }

            BrokerReplyHeader header = BrokerReplyHeader.Read(frame.Body);
            var result = new BrokerResult(header.Status, frame.Body[BrokerReplyHeader.Length..].ToArray());
            if (header.RequestId < 0)
            {
                // A posted request was refused: the first refusal per object is kept for its next call.
                if (_refusals.TryAdd(-header.RequestId, result))
                {
                    Interlocked.Increment(ref _refusalCount);
                }
            }
            else if (_pending.TryRemove(header.RequestId, out PendingCall? call))
            {
                if (call.Background)
                {
                    Interlocked.Decrement(ref _backgroundCalls);
                }

                call.TrySetResult(result);
                WakeFollowers();
            }

            return true;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or InvalidDataException or ObjectDisposedException)
        {
            Break(e);
            return false;
        }
    }

    /// <summary>The connection broke: every pending call, and every later one, fails with <paramref name="cause"/>.</summary>
    private void Break(Exception cause)
    {
        _broken ??= cause;
        BrokerSessions.Forget(this);
        foreach (long requestId in _pending.Keys)
        {
            if (_pending.TryRemove(requestId, out PendingCall? call))
            {
                call.TrySetException(Lost(_broken));
            }
        }

        Volatile.Write(ref _backgroundCalls, 0);
        _readerWanted.Release();
        _wakeFeeder.Release();
        _transport.Dispose();
        lock (_followers)
        {
            Monitor.PulseAll(_followers);
        }
    }
}
