using System.Runtime.ExceptionServices;
using ParallelGen.Transport;

namespace ParallelGen.Processes;

/// <summary>
/// Reading: who reads the worker's frames. One thread at a time holds the read gate and hands every frame it reads to
/// <see cref="HandleFrame"/>, the one code path for frames; usually that is the conversation's reply thread, but a blocked
/// synchronous caller (<c>Apply</c>) whose chunk it just sent to this idle worker reads its own reply, so the thread that
/// asked is the thread the reply wakes (one wake-up, from the worker's write, instead of two: the reply thread's and then
/// the caller's).
/// </summary>
/// <remarks>
/// <para>
/// Over a transport that reports its peer's death on its own (<see cref="IPeerWatch"/>: the shared-memory rings) the reply
/// thread need not read while nothing is owed (no chunk in flight, no Returned for a Reclaim, no Goodbye after a Shutdown,
/// no end of the stream). Once a blocked caller found it reading, it parks on <see cref="_replyWanted"/> whenever nothing
/// is owed and leaves the gate free, so the next caller takes it without waking anyone: a sequential <c>Apply</c> loop
/// never wakes the reply thread. A frame sent while nobody reads (an asynchronous call, a map's chunk) wakes it, and it
/// keeps listening between such replies again, so asynchronous callers pay no extra wake-up either.
/// </para>
/// <para>
/// The caller holds the gate only while its own chunk is in flight here. It gives the gate back when its reply is in,
/// when its chunk left (given back to another worker), or when the transport ends or fails; the reply thread then takes
/// over if anything is still owed, and an end or failure the caller saw is recorded (<see cref="_readEnded"/>,
/// <see cref="_readFailure"/>) for the reply thread to end the conversation with, exactly as if it had read it.
/// Every way a chunk in flight is settled without a frame (the parent's timeout backstop, an ignored cancellation, the pool
/// terminating) kills the worker, and its death ends the caller's receive: the caller then waits on its task like any other.
/// </para>
/// <para>Over the socket transport callers never read: the reply thread reads everything, as before.</para>
/// </remarks>
internal sealed partial class WorkerConversation
{
    private const int NobodyReads = 0;
    private const int ReplyThreadReads = 1;
    private const int CallerReads = 2;

    /// <summary>The reply thread waits here while nothing is owed or a caller reads; released once per park.</summary>
    private readonly SemaphoreSlim _replyWanted = new(0);

    /// <summary>Whether a blocked caller may read here: the transport reports the peer's death without a reader.</summary>
    private readonly bool _callersMayRead;

    /// <summary>Who holds the read gate (<see cref="NobodyReads"/>, <see cref="ReplyThreadReads"/>, <see cref="CallerReads"/>). Under <see cref="_gate"/>.</summary>
    private int _reader;

    /// <summary>The reply thread waits on <see cref="_replyWanted"/>. Under <see cref="_gate"/>.</summary>
    private bool _replyThreadParked;

    /// <summary>
    /// The reply thread keeps reading while nothing is owed, ready for the next asynchronous chunk's reply without a wake-up
    /// of its own. Cleared when a blocked caller found it reading (callers will read: it parks once nothing is owed); set
    /// again when a frame is sent with nobody reading (asynchronous traffic). Under <see cref="_gate"/>.
    /// </summary>
    private bool _replyThreadListens = true;

    /// <summary>A Shutdown was sent: a Goodbye and the end of the stream are owed. Under <see cref="_gate"/>.</summary>
    private bool _leaving;

    /// <summary>The peer's end was seen (by the transport's watch or by a caller's receive). Under <see cref="_gate"/>.</summary>
    private bool _readEnded;

    /// <summary>What broke the conversation while a caller read; the reply thread ends the conversation with it.</summary>
    private ExceptionDispatchInfo? _readFailure;

    /// <summary>The worker said goodbye (a clean exit). Written by the gate holder.</summary>
    private bool _saidGoodbye;

    /// <summary>
    /// A blocked caller whose chunk this idle worker is about to get, from the caller's thread: takes the read gate if nobody
    /// holds it. On <see langword="true"/> the caller sends, then calls <see cref="ReadUntilSettled"/>, which gives it back.
    /// </summary>
    public bool TryTakeReadGate()
    {
        if (!_callersMayRead)
        {
            return false;
        }

        lock (_gate)
        {
            if (_readEnded || _readFailure is not null || _dead)
            {
                return false;
            }

            if (_reader != NobodyReads)
            {
                // The reply thread reads this reply (the old way); once nothing is owed it parks, and the next caller reads.
                _replyThreadListens = false;
                return false;
            }

            _reader = CallerReads;
            return true;
        }
    }

    /// <summary>
    /// Holding the read gate: reads and handles frames until <paramref name="chunk"/> is settled or no longer held here, or
    /// the transport ends or fails; then gives the gate back (to the reply thread, if anything is still owed).
    /// </summary>
    public void ReadUntilSettled(PendingChunk chunk)
    {
        bool ended = false;
        ExceptionDispatchInfo? failure = null;
        try
        {
            while (!chunk.Task.IsCompleted && Holds(chunk))
            {
                if (_transport.Receive() is not { } frame)
                {
                    ended = true;
                    break;
                }

                HandleFrame(frame);
            }
        }
        catch (Exception e)
        {
            // The conversation is over; its reply thread ends it with this, as if it had read it itself.
            failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            ReleaseReadGate(ended, failure);
        }
    }

    /// <summary>Starts the reply thread, which reads whenever nobody else does and something is owed. Its task ends with the conversation.</summary>
    private Task<bool> ReceiveOnOwnThread()
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(ReplyThreadLoop());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"Parallel.Gen worker {SlotIndex} replies",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// The reply thread: reads while something is owed and no caller reads, parks otherwise. Returns whether the worker said
    /// goodbye once the transport ended; throws what broke it (read here or by a caller).
    /// </summary>
    private bool ReplyThreadLoop()
    {
        while (true)
        {
            bool parked;
            lock (_gate)
            {
                if (_readFailure is { } failure)
                {
                    _readEnded = true;
                    failure.Throw();
                }

                parked = _reader != NobodyReads || !(IsOwedLocked() || _replyThreadListens);
                if (parked)
                {
                    _replyThreadParked = true;
                }
                else
                {
                    _reader = ReplyThreadReads;
                }
            }

            if (parked)
            {
                _replyWanted.Wait();
                continue;
            }

            try
            {
                while (true)
                {
                    if (_transport.Receive() is not { } frame)
                    {
                        lock (_gate)
                        {
                            _readEnded = true;
                            _reader = NobodyReads;
                        }

                        return _saidGoodbye;
                    }

                    HandleFrame(frame);
                    if (_callersMayRead && GiveUpGateIfNothingOwed())
                    {
                        break;
                    }
                }
            }
            catch
            {
                lock (_gate)
                {
                    _readEnded = true;
                    _reader = NobodyReads;
                }

                throw;
            }
        }
    }

    /// <summary>The reply thread, between frames: leaves the gate free (and parks) when nothing more is owed and callers read.</summary>
    private bool GiveUpGateIfNothingOwed()
    {
        lock (_gate)
        {
            if (IsOwedLocked() || _replyThreadListens)
            {
                return false;
            }

            _reader = NobodyReads;
            return true;
        }
    }

    /// <summary>Whether a frame or the end of the stream is owed, so someone must read. Under <see cref="_gate"/>.</summary>
    private bool IsOwedLocked() =>
        !_callersMayRead || _inFlight.Count > 0 || _reclaiming || _leaving || _readEnded || _readFailure is not null;

    private bool Holds(PendingChunk chunk)
    {
        lock (_gate)
        {
            foreach (PendingChunk held in _inFlight.Values)
            {
                if (held == chunk)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private void ReleaseReadGate(bool ended, ExceptionDispatchInfo? failure)
    {
        bool wake;
        lock (_gate)
        {
            _reader = NobodyReads;
            _readEnded |= ended;
            _readFailure ??= failure;
            wake = TakeParkedReplyThreadLocked();
        }

        if (wake)
        {
            _replyWanted.Release();
        }
    }

    /// <summary>
    /// A frame was sent that expects an answer: wakes the reply thread if it is parked and nobody reads (asynchronous
    /// traffic: it then keeps listening). A caller holding the gate hands over when it lets go.
    /// </summary>
    private void EnsureReader()
    {
        bool wake;
        lock (_gate)
        {
            wake = TakeParkedReplyThreadLocked();
            _replyThreadListens |= wake;
        }

        if (wake)
        {
            _replyWanted.Release();
        }
    }

    /// <summary>The transport saw the worker's end (no reader needed for that): whoever reads next finds it.</summary>
    private void OnPeerGone()
    {
        bool wake;
        lock (_gate)
        {
            _readEnded = true;
            wake = TakeParkedReplyThreadLocked();
        }

        if (wake)
        {
            _replyWanted.Release();
        }
    }

    /// <summary>Claims the parked reply thread for waking when the gate is free and something is owed. Under <see cref="_gate"/>.</summary>
    private bool TakeParkedReplyThreadLocked()
    {
        if (!_replyThreadParked || _reader != NobodyReads || !IsOwedLocked())
        {
            return false;
        }

        _replyThreadParked = false;
        return true;
    }
}
