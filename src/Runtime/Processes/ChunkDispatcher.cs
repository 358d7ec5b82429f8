namespace ParallelGen.Processes;

/// <summary>
/// Matches chunks with idle workers under one lock: a chunk that finds a worker idle is sent at once by the thread that
/// brought it (the caller's, no hop to a send loop); otherwise it waits in FIFO order, and the worker whose reply
/// arrives next takes it on the thread that read the reply. A worker holds one chunk at a time, so a fast chunk never
/// waits behind a slow one while another worker idles.
/// </summary>
internal sealed class ChunkDispatcher
{
    private readonly Lock _gate = new();
    private readonly Queue<PendingChunk> _waiting = new();

    /// <summary>Workers with nothing to run. Last in, first out: the worker that just finished has warm caches.</summary>
    private readonly List<WorkerSlot.Session> _idle = [];
    private bool _closed;

    /// <summary>
    /// Takes <paramref name="chunk"/>: returns an idle worker the caller must send it to now, or <see langword="null"/> when the
    /// chunk was queued. Returns <see langword="false"/> when no new work is accepted any more.
    /// </summary>
    public bool TryDispatch(PendingChunk chunk, out WorkerSlot.Session? idle)
    {
        lock (_gate)
        {
            idle = null;
            if (_closed)
            {
                return false;
            }

            while (_idle.Count > 0)
            {
                WorkerSlot.Session candidate = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
                if (!candidate.Dead)
                {
                    idle = candidate;
                    return true;
                }
            }

            _waiting.Enqueue(chunk);
            return true;
        }
    }

    /// <summary>
    /// <paramref name="session"/> has nothing in flight: returns the next waiting chunk for it, or parks it until one comes.
    /// <paramref name="closed"/> says the pool is draining and nothing is left: the worker should leave (it is not parked).
    /// </summary>
    public PendingChunk? TakeOrPark(WorkerSlot.Session session, out bool closed)
    {
        lock (_gate)
        {
            closed = false;
            if (_waiting.TryDequeue(out PendingChunk? chunk))
            {
                return chunk;
            }

            if (_closed)
            {
                closed = true;
                return null;
            }

            _idle.Add(session);
            return null;
        }
    }

    /// <summary>The worker is gone: send it nothing more.</summary>
    public void Remove(WorkerSlot.Session session)
    {
        lock (_gate)
        {
            _idle.Remove(session);
        }
    }

    /// <summary>Accepts no new chunks (waiting ones are still handed out); returns the parked workers, which should now leave.</summary>
    public List<WorkerSlot.Session> Close()
    {
        lock (_gate)
        {
            _closed = true;
            List<WorkerSlot.Session> parked = [.. _idle];
            _idle.Clear();
            return parked;
        }
    }

    /// <summary>Removes and returns every waiting chunk.</summary>
    public List<PendingChunk> TakeAllWaiting()
    {
        lock (_gate)
        {
            List<PendingChunk> all = [.. _waiting];
            _waiting.Clear();
            return all;
        }
    }
}
