using System.Diagnostics;
using System.Net.Sockets;
using ParallelGen.Execution;
using ParallelGen.Protocol;

namespace ParallelGen.Processes;

/// <summary>The receiving side of the conversation: replies, chunks given back, timeouts, cancellations.</summary>
internal sealed partial class WorkerConversation
{
    /// <summary>
    /// Handles one frame from the worker: the one code path for every frame, whichever thread read it (the reply thread or
    /// a blocked caller holding the read gate, see the Reading part). Throws <see cref="InvalidDataException"/> for a frame
    /// the protocol does not allow, which ends the conversation.
    /// </summary>
    private void HandleFrame(ReceivedFrame frame)
    {
        switch (frame.Type)
        {
            case FrameType.Result:
            case FrameType.Fault:
                OnReply(frame);
                break;
            case FrameType.TimedOut:
                OnTimedOut(frame);
                break;
            case FrameType.Returned:
                OnReturned(frame);
                break;
            case FrameType.Goodbye:
                frame.Dispose();
                _saidGoodbye = true;
                break;
            default:
                frame.Dispose();
                throw new InvalidDataException($"Unexpected {frame.Type} frame from a worker.");
        }
    }

    /// <summary>A chunk's Result or Fault: the worker is free for the next chunk, and the chunk's caller gets its reply.</summary>
    private void OnReply(ReceivedFrame frame)
    {
        long requestId = ReadRequestId(frame);
        ChunkStats stats = ReadStats(frame);
        PendingChunk? chunk;
        bool killing;
        long busy = 0;
        bool overMemory = false;
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _inFlight.Remove(requestId, out chunk);
            killing = _killReason is not null;
            if (chunk is not null)
            {
                // Its run: from its send, or from the reply before if it waited queued behind that one.
                busy = now - Math.Max(chunk.SentAt, _lastReplyAt);
                _fast = busy < FastChunkTime;
                _lastReplyAt = now;

                // Before Ready below, so a worker that says it is over its memory limit gets no more work.
                overMemory = stats.OverMemoryBytes > 0 && !_overMemory;
                _overMemory |= overMemory;
            }
        }

        if (chunk is null)
        {
            frame.Dispose();
            if (killing)
            {
                // A late reply for a chunk already failed by the parent's own deadline: the worker is being killed.
                return;
            }

            throw new InvalidDataException($"A reply names request {requestId}, which this worker was not running.");
        }

        Observe(chunk, stats, busy, overMemory, frame.Type == FrameType.Fault);
        var reply = new ChunkReply(frame.DetachBuffer(), ChunkStats.ReplyBodyStart, frame.Length - ChunkStats.ReplyBodyStart, frame.Type == FrameType.Fault, ProcessId, pooled: true);

        // The next chunk first, so the worker is busy again while the caller wakes up.
        Ready();
        chunk.Complete(reply);
    }

    private static long ReadRequestId(ReceivedFrame frame)
    {
        if (!RequestId.TryRead(frame.Body, out long requestId))
        {
            frame.Dispose();
            throw new InvalidDataException($"A {frame.Type} frame of {frame.Length} bytes is too short to hold its request id.");
        }

        return requestId;
    }

    /// <summary>
    /// The worker gave back chunks it had not started (answering a Reclaim, or a Cancel of a queued chunk): cancelled ones
    /// end here, the others go to an idle worker or the head of the queue.
    /// </summary>
    private void OnReturned(ReceivedFrame frame)
    {
        var returned = new List<PendingChunk>();
        int inFlight;
        bool reclaimAgain = false;
        using (frame)
        {
            var given = Returned.Read(frame.Body);
            lock (_gate)
            {
                if (!given.Cancelled)
                {
                    _reclaiming = false;
                    (reclaimAgain, _reclaimAgain) = (_reclaimAgain, false);
                }

                for (int i = 0; i < given.Count; i++)
                {
                    long requestId = given[i];
                    if (!_inFlight.Remove(requestId, out PendingChunk? chunk))
                    {
                        if (_killReason is not null)
                        {
                            // The parent already failed it by its own deadline: the worker is being killed.
                            continue;
                        }

                        throw new InvalidDataException($"A Returned frame names request {requestId}, which this worker was not holding.");
                    }

                    _tasksSent--;
                    returned.Add(chunk);
                }

                inFlight = _inFlight.Count;
            }

            _events.ChunksReturned(SlotIndex, ProcessId, returned.Count, cancelled: given.Cancelled);
        }

        foreach (PendingChunk chunk in returned)
        {
            GiveBack(chunk);
        }

        if (inFlight == 0 && returned.Count > 0)
        {
            // What it still held was given back (a cancelled queue, or stolen while its running chunk finished): it is free again.
            // Not when nothing came back: a worker that held nothing when the answer came already went through Ready with
            // its last reply (it is parked or running a chunk handed to it since), and a second Ready would park it twice,
            // so the dispatcher would hand one worker two chunks, the second queued behind the first (a consumer, then its
            // producer: a deadlock).
            Ready();
        }
        else
        {
            ReclaimAnswered(reclaimAgain);
        }
    }

    /// <summary>The worker reports that an item overran TaskTimeout: fail its chunk, kill the worker (a replacement follows).</summary>
    private void OnTimedOut(ReceivedFrame frame)
    {
        using (frame)
        {
            (long requestId, int item, long elapsedMs) = TimedOut.Read(frame.Body);
            PendingChunk? chunk;
            lock (_gate)
            {
                _inFlight.Remove(requestId, out chunk);
                _killReason ??= WorkerExitReason.TimedOut;
            }

            if (chunk is null || (uint)item >= (uint)chunk.Request.ItemCount || elapsedMs is < 0 or > 1L << 40)
            {
                throw new InvalidDataException($"A TimedOut frame names item {item} of request {requestId}, which this worker was not running.");
            }

            TimeOut(chunk, item, TimeSpan.FromMilliseconds(elapsedMs));
        }
    }

    private void TimeOut(PendingChunk chunk, int? item, TimeSpan elapsed)
    {
        _events.TaskTimedOut(SlotIndex, ProcessId, chunk.Request.Worker.Name, item, elapsed);
        string? stacks = CaptureStacks(WorkerExitReason.TimedOut);
        ProcessTree.Kill(_process);
        chunk.Fail(new TaskTimeoutException(chunk.Request.Worker.Name, item, chunk.Request.ItemCount, elapsed, _settings.TaskTimeout!.Value, ProcessId, SlotIndex) { WorkerStacks = stacks });
    }

    /// <summary>The parent's backstop for TaskTimeout: a chunk far past its items' combined limit means the worker can't report; kill it.</summary>
    private async Task WatchDeadlinesAsync(TimeSpan timeout)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await ticks.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            PendingChunk? late = null;
            long startedAt = 0;
            lock (_gate)
            {
                // Only the oldest chunk held can be running (the others queue behind it at the worker); it started when it
                // was sent or when the reply before it came, whichever was later.
                long oldest = _inFlight.Count == 0 ? 0 : _inFlight.Keys.Min();
                if (oldest != 0 && _inFlight[oldest] is { SentAt: not 0 } chunk)
                {
                    // The worker reports an overrun itself (it knows which item runs); this catches a worker too frozen to report.
                    double limit = (timeout.TotalSeconds * chunk.Request.ItemCount) + _settings.TimeoutBackstopSlack.TotalSeconds;
                    startedAt = Math.Max(chunk.SentAt, _lastReplyAt);
                    if (Stopwatch.GetElapsedTime(startedAt).TotalSeconds > limit)
                    {
                        late = chunk;
                        _inFlight.Remove(oldest);
                        _killReason ??= WorkerExitReason.TimedOut;
                    }
                }
            }

            if (late is not null)
            {
                TimeOut(late, item: null, Stopwatch.GetElapsedTime(startedAt));
                return;
            }
        }
    }

    private async Task CancelRunningAsync(PendingChunk chunk)
    {
        long requestId = chunk.RequestId;
        lock (_gate)
        {
            if (_dead || !_inFlight.TryGetValue(requestId, out PendingChunk? held) || held != chunk)
            {
                return;
            }
        }

        byte[] body = RequestId.CancelBody(requestId);
        try
        {
            SendFrame(FrameType.Cancel, body, default);
            _events.CancellationSent(SlotIndex, ProcessId, chunk.Request.Worker.Name);
            TimeSpan grace = _settings.CancellationGracePeriod;
            if (grace == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            await Task.Delay(grace, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            return;
        }

        lock (_gate)
        {
            if (_dead || _killReason is not null || !_inFlight.TryGetValue(requestId, out PendingChunk? held) || held != chunk)
            {
                return;
            }

            _killReason = WorkerExitReason.IgnoredCancellation;
        }

        // The worker ignored the cancellation: a process can be killed where a thread can't. Its caller has gone, so its stacks only go to the log.
        _ = CaptureStacks(WorkerExitReason.IgnoredCancellation);
        ProcessTree.Kill(_process);
    }
}
