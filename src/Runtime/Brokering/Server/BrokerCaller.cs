using ParallelGen.Brokering.Managers;
using ParallelGen.Brokering.Pipes;
using ParallelGen.Brokering.Queues;

namespace ParallelGen.Brokering.Server;

/// <summary>
/// One peer of a broker: a connected process, or the hosting process itself. Remembers what the peer
/// is waiting for, which pipe ends and manager locks it holds, so that when it goes away (exits, is killed) its waits
/// are dropped without losing items, its pipe ends count as closed and its locks pass on as abandoned.
/// </summary>
internal sealed class BrokerCaller
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, (BrokerObject Owner, BrokerReply Reply)> _waits = [];
    private readonly Dictionary<(PipeObject Pipe, int End), int> _pipeReferences = [];
    private readonly HashSet<LockObject> _heldLocks = [];
    private readonly HashSet<QueueObject> _reservingQueues = [];
    private bool _gone;

    public BrokerCaller(int processId)
    {
        ProcessId = processId;
    }

    public int ProcessId { get; }

    /// <summary>Records that <paramref name="reply"/> waits on <paramref name="owner"/>; <see langword="false"/> once the caller is gone.</summary>
    public bool TrackWait(BrokerObject owner, BrokerReply reply)
    {
        lock (_gate)
        {
            if (_gone)
            {
                return false;
            }

            reply.MarkParked();
            _waits[reply.RequestId] = (owner, reply);
            return true;
        }
    }

    public void ForgetWait(long requestId)
    {
        lock (_gate)
        {
            _waits.Remove(requestId);
        }
    }

    /// <summary>The caller's own timeout passed: end the wait with Cancelled, unless an item already went out.</summary>
    public void CancelWait(long requestId)
    {
        (BrokerObject Owner, BrokerReply Reply) wait;
        lock (_gate)
        {
            if (!_waits.Remove(requestId, out wait))
            {
                return;
            }
        }

        wait.Owner.CancelWait(wait.Reply);
    }

    /// <summary>Records that this caller holds <paramref name="held"/>; <see langword="false"/> once the caller is gone (then it must not get the lock).</summary>
    public bool TrackHold(LockObject held)
    {
        lock (_gate)
        {
            return !_gone && _heldLocks.Add(held);
        }
    }

    /// <summary>Records that a bounded queue lent this caller slots; <see langword="false"/> once the caller is gone (then it must not get any).</summary>
    public bool TrackReservation(QueueObject queue)
    {
        lock (_gate)
        {
            if (_gone)
            {
                return false;
            }

            _reservingQueues.Add(queue);
            return true;
        }
    }

    public void ForgetHold(LockObject held)
    {
        lock (_gate)
        {
            _heldLocks.Remove(held);
        }
    }

    public void AddPipeReference(PipeObject pipe, int end)
    {
        lock (_gate)
        {
            _pipeReferences[(pipe, end)] = _pipeReferences.GetValueOrDefault((pipe, end)) + 1;
        }
    }

    /// <summary>Drops one reference this caller holds on a pipe end; <see langword="false"/> if it held none.</summary>
    public bool RemovePipeReference(PipeObject pipe, int end)
    {
        lock (_gate)
        {
            if (!_pipeReferences.TryGetValue((pipe, end), out int count))
            {
                return false;
            }

            if (count == 1)
            {
                _pipeReferences.Remove((pipe, end));
            }
            else
            {
                _pipeReferences[(pipe, end)] = count - 1;
            }

            return true;
        }
    }

    /// <summary>The peer disconnected: drop its waits (never handing them items) and release its pipe ends.</summary>
    public void Gone()
    {
        List<(BrokerObject Owner, BrokerReply Reply)> waits;
        List<KeyValuePair<(PipeObject Pipe, int End), int>> pipes;
        List<LockObject> locks;
        List<QueueObject> reserving;
        lock (_gate)
        {
            _gone = true;
            reserving = [.. _reservingQueues];
            _reservingQueues.Clear();
            locks = [.. _heldLocks];
            _heldLocks.Clear();
            waits = [.. _waits.Values];
            pipes = [.. _pipeReferences];
            _waits.Clear();
            _pipeReferences.Clear();
        }

        foreach ((BrokerObject owner, BrokerReply reply) in waits)
        {
            owner.DropWait(reply);
        }

        foreach (KeyValuePair<(PipeObject Pipe, int End), int> held in pipes)
        {
            held.Key.Pipe.ReleaseReferences(held.Key.End, held.Value);
        }

        // Slots lent to a producer that left are room for the others again.
        foreach (QueueObject queue in reserving)
        {
            queue.ReturnCredits(this, int.MaxValue);
        }

        // A lock whose holder vanished goes to the next acquirer, who learns it was abandoned (AbandonedMutexException).
        foreach (LockObject held in locks)
        {
            held.HolderGone(this);
        }
    }
}
