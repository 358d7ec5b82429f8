using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Hosting;

/// <summary>
/// What a worker's threads share about the chunk it runs: the serving thread running a chunk sends its reply,
/// the one reading the channel delivers Cancel frames, the watchdog declares items that overran the task timeout. Sends
/// to the parent go through here, one at a time; after a timeout was declared, nothing else is sent (the parent
/// is killing this process and a late reply would contradict the report).
/// </summary>
internal sealed class WorkerSession(IFrameTransport transport)
{
    private readonly Lock _state = new();
    private readonly Lock _send = new();
    private readonly HashSet<long> _cancelledAhead = [];
    private readonly byte[] _timedOutFrame = new byte[ProtocolConstants.HeaderLength + TimedOut.Length];
    private long _current;
    private bool _currentTimed;
    private CancellationTokenSource? _cancellation;
    private bool _doomed;

    /// <summary>The transport to the parent (after any upgrade: see <c>WorkerLoop.OpenParentTransport</c>).</summary>
    public IFrameTransport Transport { get; } = transport;

    /// <summary>The running thread starts request <paramref name="requestId"/>; returns the token its items run with.</summary>
    public CancellationToken Begin(long requestId, bool timed)
    {
        var cancellation = new CancellationTokenSource();
        lock (_state)
        {
            _current = requestId;
            _currentTimed = timed;
            _cancellation = cancellation;
            if (_cancelledAhead.Remove(requestId))
            {
                // The Cancel overtook the Run on its way through the inbox.
                cancellation.Cancel();
            }
        }

        ItemClock.Enabled = timed;
        return cancellation.Token;
    }

    /// <summary>The running thread finished the current request.</summary>
    public void End()
    {
        CancellationTokenSource? cancellation;
        lock (_state)
        {
            _cancelledAhead.RemoveWhere(id => id <= _current);
            _current = 0;
            cancellation = _cancellation;
            _cancellation = null;
        }

        ItemClock.Enabled = false;
        cancellation?.Dispose();
    }

    /// <summary>The reader thread got a Cancel frame. Never blocks: the token's callbacks run on the thread pool.</summary>
    public void Cancel(long requestId)
    {
        lock (_state)
        {
            if (requestId == _current)
            {
                _ = _cancellation!.CancelAsync();
            }
            else if (requestId > _current)
            {
                _cancelledAhead.Add(requestId);
            }
        }
    }

    /// <summary>Sends a prepared frame from the running thread. Returns <see langword="false"/> when a timeout was declared and the process is being killed.</summary>
    public bool Send(Span<byte> frame, FrameType type)
    {
        lock (_send)
        {
            if (Volatile.Read(ref _doomed))
            {
                return false;
            }

            Transport.SendPrepared(frame, type);
            return true;
        }
    }

    /// <summary>
    /// Called by the watchdog: if the current item has run longer than <paramref name="timeout"/>, reports it to the
    /// parent (which kills this process) and returns <see langword="true"/>. Never waits for the running thread.
    /// </summary>
    public bool TryDeclareTimeout(TimeSpan timeout)
    {
        if (!ItemClock.TryRead(out int item, out long startedAt))
        {
            return false;
        }

        TimeSpan elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(startedAt);
        if (elapsed <= timeout || !_send.TryEnter())
        {
            // Not overdue, or the running thread is sending (so its item is over).
            return false;
        }

        try
        {
            long requestId;
            lock (_state)
            {
                requestId = _current;
                if (requestId == 0 || !_currentTimed || _doomed || !ItemClock.IsStill(startedAt))
                {
                    return false;
                }

                _doomed = true;
            }

            new TimedOut(requestId, item, (long)elapsed.TotalMilliseconds).Write(_timedOutFrame.AsSpan(ProtocolConstants.HeaderLength));
            Transport.SendPrepared(_timedOutFrame, FrameType.TimedOut);
            return true;
        }
        finally
        {
            _send.Exit();
        }
    }
}
