using System.Diagnostics;

namespace ParallelGen.Processes;

/// <summary>
/// Matches chunks with idle workers under one lock: a chunk that finds a worker idle is sent at once by the thread that
/// brought it (the caller's, no hop to a send loop); otherwise it waits in FIFO order, and the worker whose reply
/// arrives next takes it on the thread that read the reply. A worker that runs small chunks fast also tops itself up
/// with waiting chunks (see <see cref="TryTakeSmall"/>); chunks it gives back unstarted (stolen for an idle worker)
/// go before every waiting chunk, as they are older.
/// </summary>
internal sealed class ChunkDispatcher
{
    private readonly Lock _gate = new();
    private readonly Queue<PendingChunk> _waiting = new();

    /// <summary>Chunks a worker gave back unstarted: handed out before <see cref="_waiting"/>.</summary>
    private readonly Queue<PendingChunk> _returned = new();

    /// <summary>Workers with nothing to run. Last in, first out: the worker that just finished has warm caches.</summary>
    private readonly List<WorkerConversation> _idle = [];
    private bool _closed;

    /// <summary>
    /// Takes <paramref name="chunk"/>: returns an idle worker the caller must send it to now, or <see langword="null"/> when the
    /// chunk was queued. Returns <see langword="false"/> when no new work is accepted any more.
    /// </summary>
    public bool TryDispatch(PendingChunk chunk, out WorkerConversation? idle) => TryDispatch(chunk, returned: false, out idle);

    /// <summary>
    /// Takes back <paramref name="chunk"/>, which a worker held but never started: to an idle worker (returned, the caller
    /// sends it) or to the head of the queue. Accepted even while draining: the chunk was accepted before.
    /// </summary>
    public WorkerConversation? Return(PendingChunk chunk)
    {
        TryDispatch(chunk, returned: true, out WorkerConversation? idle);
        return idle;
    }

    private bool TryDispatch(PendingChunk chunk, bool returned, out WorkerConversation? idle)
    {
        lock (_gate)
        {
            idle = null;
            if (_closed && !returned)
            {
                return false;
            }

            while (_idle.Count > 0)
            {
                WorkerConversation candidate = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
                if (!candidate.Dead)
                {
                    idle = candidate;
                    return true;
                }
            }

            (returned ? _returned : _waiting).Enqueue(chunk);
            return true;
        }
    }

    /// <summary>
    /// <paramref name="worker"/> has nothing in flight: returns the next waiting chunk for it, or parks it until one comes.
    /// <paramref name="closed"/> says the pool is draining and nothing is left: the worker should leave (it is not parked).
    /// </summary>
    public PendingChunk? TakeOrPark(WorkerConversation worker, out bool closed)
    {
        lock (_gate)
        {
            closed = false;
            if (_returned.TryDequeue(out PendingChunk? chunk) || _waiting.TryDequeue(out chunk))
            {
                return chunk;
            }

            if (_closed)
            {
                closed = true;
                return null;
            }

            // A worker parks once per spell of idleness; parked twice, it would be handed two chunks as if it were two workers.
            Debug.Assert(!_idle.Contains(worker), "A worker parked while already parked.");
            _idle.Add(worker);
            return null;
        }
    }

    /// <summary>
    /// For a worker that already runs chunks of <paramref name="call"/>: the next waiting chunk if it belongs to the same call
    /// and is small enough to queue behind them (arguments up to <paramref name="maxArgumentBytes"/>, untraced), else
    /// <see langword="null"/>. Never parks, and never skips ahead of the queue.
    /// </summary>
    public PendingChunk? TryTakeSmall(int maxArgumentBytes, object call)
    {
        lock (_gate)
        {
            Queue<PendingChunk> from = _returned.Count > 0 ? _returned : _waiting;
            if (from.TryPeek(out PendingChunk? chunk) && ReferenceEquals(chunk.Call, call) && IsSmall(chunk, maxArgumentBytes))
            {
                return from.Dequeue();
            }

            return null;
        }
    }

    /// <summary>Whether <paramref name="chunk"/> may wait at a worker behind another: small and untraced (a traced chunk's spans should measure its own run).</summary>
    public static bool IsSmall(PendingChunk chunk, int maxArgumentBytes) =>
        chunk.Request.Arguments.Length <= maxArgumentBytes && chunk.Request.TraceParent is null;

    /// <summary>Whether a worker is parked with nothing to run.</summary>
    public bool HasIdle
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count > 0;
            }
        }
    }

    /// <summary>The worker is gone: send it nothing more.</summary>
    public void Remove(WorkerConversation worker)
    {
        lock (_gate)
        {
            _idle.Remove(worker);
        }
    }

    /// <summary>Accepts no new chunks (waiting ones are still handed out); returns the parked workers, which should now leave.</summary>
    public List<WorkerConversation> Close()
    {
        lock (_gate)
        {
            _closed = true;
            List<WorkerConversation> parked = [.. _idle];
            _idle.Clear();
            return parked;
        }
    }

    /// <summary>Removes and returns every waiting chunk.</summary>
    public List<PendingChunk> TakeAllWaiting()
    {
        lock (_gate)
        {
            List<PendingChunk> all = [.. _returned, .. _waiting];
            _returned.Clear();
            _waiting.Clear();
            return all;
        }
    }
}
