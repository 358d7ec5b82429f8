using System.Diagnostics;
using System.Net.Sockets;
using ParallelGen.Execution;
using ParallelGen.Protocol;

namespace ParallelGen.Processes;

/// <summary>
/// The worker's place in the dispatcher: take the next chunk or park (Ready), run what the dispatcher hands over (Run),
/// hold several small chunks at once while they run fast, give chunks back for an idle worker (Reclaim), leave when
/// recycled or drained.
/// </summary>
internal sealed partial class WorkerConversation
{
    /// <summary>
    /// With <see cref="PoolSettings.PipelineDepth"/> above one, a worker whose last chunk took less than this may hold
    /// several small chunks at once: it starts the next without waiting a round trip (tens of µs) for it. A chunk queued
    /// behind one that turns out slow is not stuck: when another worker goes idle, the parent sends a Reclaim and the
    /// worker gives back what it has not started. A chunk's run is measured from its send, or from the reply before it
    /// if it waited queued behind that one, to its reply.
    /// </summary>
    private static readonly long FastChunkTime = Stopwatch.Frequency / 1000;

    /// <summary>Arguments up to this size may queue at a worker; larger chunks go one at a time.</summary>
    private const int MaxPipelinedArgumentBytes = IWorkerExecutor.SmallChunkBytes;

    private int _tasksSent;

    /// <summary>Its last chunk ran in under <see cref="FastChunkTime"/>: it may hold several small chunks at once.</summary>
    private bool _fast;

    /// <summary>When its last reply came (<see cref="Stopwatch"/> ticks): the earliest a chunk queued behind that one can have started.</summary>
    private long _lastReplyAt;

    /// <summary>A Reclaim was sent and its Returned answer has not come yet.</summary>
    private bool _reclaiming;

    /// <summary>Another Reclaim was asked for while one was outstanding: the answer may predate a chunk sent since.</summary>
    private bool _reclaimAgain;

    private bool _recycling;

    /// <summary>Sends <paramref name="chunk"/>, which the dispatcher found this worker idle for; if the chunk was cancelled meanwhile, the worker takes the next one.</summary>
    public void Run(PendingChunk chunk)
    {
        if (!Send(chunk))
        {
            Ready();
        }
    }

    /// <summary>Asks the worker to leave (the pool is draining, or it is recycled).</summary>
    public void Leave()
    {
        try
        {
            SendFrame(FrameType.Shutdown, default, default);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The worker is going anyway.
        }
    }

    /// <summary>
    /// Another worker went idle: if this one holds chunks it has not started, ask for them back (a Reclaim; the worker
    /// answers with Returned, and the chunks go to the idle worker). At most one Reclaim outstanding per worker.
    /// </summary>
    public void Reclaim()
    {
        lock (_gate)
        {
            if (_dead || _killReason is not null || _inFlight.Count < 2)
            {
                return;
            }

            if (_reclaiming)
            {
                _reclaimAgain = true;
                return;
            }

            _reclaiming = true;
        }

        try
        {
            SendFrame(FrameType.Reclaim, default, default);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The conversation is ending: its chunks are handled with its exit.
        }
    }

    /// <summary>
    /// Nothing more can be sent to the worker right now: send it the next waiting chunk, ask it to leave (recycling or
    /// draining), or park it with the dispatcher until a chunk comes.
    /// </summary>
    private void Ready()
    {
        while (_killReason is null)
        {
            int inFlight;
            object? pipelinedCall;
            lock (_gate)
            {
                if (_dead)
                {
                    return;
                }

                inFlight = _inFlight.Count;
                pipelinedCall = _settings.PipelineDepth > 1 && _fast && inFlight < _settings.PipelineDepth ? CallOfAllSmall() : null;
            }

            if ((_settings.MaxTasksPerChild is int max && _tasksSent >= max) || _overMemory)
            {
                if (inFlight == 0)
                {
                    // Recycle (MaxTasksPerChild, or the worker said it is over MaxMemoryPerChild): its last reply is in, so ask
                    // the worker to leave; it says goodbye, so this is not a crash.
                    _recycling = true;
                    Leave();
                }

                // Otherwise: no more than its remaining budget; it leaves once the last reply is in.
                return;
            }

            PendingChunk? chunk;
            if (inFlight > 0)
            {
                // Busy: top it up with a small chunk, if it runs them fast and one waits; never park a busy worker.
                chunk = pipelinedCall is not null ? _dispatch.Dispatcher.TryTakeSmall(MaxPipelinedArgumentBytes, pipelinedCall) : null;
                if (chunk is null)
                {
                    return;
                }

                Send(chunk);

                // Another worker may have parked between this one taking the chunk and holding it, found nothing to steal
                // here, and would idle while the chunk waits behind a running one (which may wait for it: a consumer and its
                // producer). Its Reclaim, or this one, now comes after the Run frame and gets the chunk back if unstarted.
                if (_dispatch.Dispatcher.HasIdle)
                {
                    Reclaim();
                }

                continue;
            }

            chunk = _dispatch.Dispatcher.TakeOrPark(this, out bool closed);
            if (chunk is null)
            {
                if (closed)
                {
                    // Draining, and nothing is left: ask the worker to leave.
                    Leave();
                }
                else if (_settings.PipelineDepth > 1)
                {
                    // Parked: if another worker holds chunks it has not started, have them handed over.
                    _dispatch.Steal(this);
                }

                return;
            }

            Send(chunk);
        }
    }

    /// <summary>A Returned answer to a Reclaim came: if another was asked for meanwhile and a worker is still idle, send it.</summary>
    private void ReclaimAnswered(bool again)
    {
        if (again && _dispatch.Dispatcher.HasIdle)
        {
            Reclaim();
        }
    }

    /// <summary>
    /// The one streaming call everything the worker holds belongs to, when all of it is small enough to have more of that
    /// call queued behind it; otherwise <see langword="null"/> (nothing may queue here). Under the gate.
    /// </summary>
    private object? CallOfAllSmall()
    {
        object? call = null;
        foreach (PendingChunk held in _inFlight.Values)
        {
            if (!ChunkDispatcher.IsSmall(held, MaxPipelinedArgumentBytes) || held.Call is not { } heldCall || (call is not null && !ReferenceEquals(call, heldCall)))
            {
                return null;
            }

            call = heldCall;
        }

        return call;
    }

    /// <summary>
    /// Sends a chunk's Run frame. Returns <see langword="false"/> when the chunk was cancelled before it could be claimed (the
    /// worker is still free); <see langword="true"/> when it was sent, or put back because the worker is going away.
    /// </summary>
    private bool Send(PendingChunk chunk)
    {
        if (!chunk.TryMarkSent())
        {
            return false;
        }

        long requestId = 0;
        bool gone;
        lock (_gate)
        {
            gone = _dead || _killReason is not null;
            if (!gone)
            {
                requestId = Interlocked.Increment(ref _nextRequestId);
                _inFlight.Add(requestId, chunk);
                _tasksSent++;
            }
        }

        if (gone)
        {
            // Outside the gate: requeueing may send the chunk to another worker straight away.
            chunk.Unsend();
            _dispatch.Requeue(chunk);
            return true;
        }

        chunk.SentAt = Stopwatch.GetTimestamp();
        ChunkRequest request = chunk.Request;
        var runPrefix = new RunPrefix(requestId, request.Worker.Id, request.ItemCount);
        bool traced = RunPrefix.CanCarry(request.TraceParent);
        byte[]? tracedPrefix = traced ? runPrefix.ToTracedArray(request.TraceParent!) : null;
        FrameType type = traced ? FrameType.RunTraced : FrameType.Run;
        int prefixLength = tracedPrefix?.Length ?? RunPrefix.Length;
        if (request.Arguments.Length > FrameChannel.CoalesceLimit - ProtocolConstants.HeaderLength - prefixLength)
        {
            // Large: the transport takes it in pieces as the worker reads; don't hold the caller's (or the reply reader's) thread for that.
            byte[] prefix = tracedPrefix ?? runPrefix.ToArray();
            _ = Task.Run(() => SendRun(chunk, requestId, type, prefix));
            return true;
        }

        // Small: one send that an idle worker's socket buffer takes at once, straight from this thread.
        Span<byte> untraced = stackalloc byte[RunPrefix.Length];
        runPrefix.Write(untraced);
        SendRun(chunk, requestId, type, tracedPrefix ?? untraced);
        return true;
    }

    private void SendRun(PendingChunk chunk, long requestId, FrameType type, ReadOnlySpan<byte> prefix)
    {
        try
        {
            SendFrame(type, prefix, chunk.Request.Arguments.Span);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The conversation is ending (the chunk is in flight, so it is failed or retried with the others), or the
            // transport broke part-way through a frame: a worker in that state can't be trusted to carry on.
            if (e is SocketException or IOException)
            {
                ProcessTree.Kill(_process);
            }

            return;
        }

        // After the Run frame, so the worker knows the request a Cancel names.
        chunk.MarkRunning(this, requestId);
    }

    /// <summary>A chunk the worker held but never started: ends it if its caller cancelled, else hands it to another worker.</summary>
    private void GiveBack(PendingChunk chunk)
    {
        if (chunk.CancellationRequested)
        {
            chunk.Cancel();
            return;
        }

        chunk.Unsend();
        if (_dispatch.Dispatcher.Return(chunk) is { } idle)
        {
            idle.Run(chunk);
        }
    }
}
