using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ParallelGen.Brokering.Queues;
using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Pipes;

/// <summary>
/// Two connected ends; each sends to the other and receives what the other sent. Each end counts
/// the processes holding it (and handles on their way to a process); when that count reaches zero
/// the end is closed, and the other end, once it has read everything, gets end-of-stream.
/// </summary>
/// <remarks>
/// Python warns that two processes using the same end at once corrupt the data. Here messages are
/// whole, but two readers would still steal each other's messages: an end used by a second process
/// while another one is blocked receiving on it refuses, with a message saying so.
/// </remarks>
internal sealed class PipeObject(BrokerServer server, long id) : BrokerObject(server, id), ILocalSource, IPostedBatchTarget
{
    // _incoming[e]: messages sent by the other end, waiting to be received at end e.
    private readonly MessageBuffer[] _incoming = [new(), new()];
    private readonly int[] _references = [1, 1];
    private readonly int[] _handoffs = [0, 0];
    private readonly bool[] _closed = [false, false];

    // How many posted sends of a batch TakePosted carries out per hold of the lock (a receiver here takes the same lock).
    private const int SendsPerLock = 64;

    // _pollers[e]: Polls waiting for end e to have something to receive (a message, or end-of-stream); they take nothing.
    private readonly List<BrokerReply>[] _pollers = [[], []];

    public override string Kind => "pipe";

    public override bool HasWaiters
    {
        get
        {
            lock (Gate)
            {
                return _incoming[0].HasWaiters || _incoming[1].HasWaiters || _pollers[0].Count > 0 || _pollers[1].Count > 0;
            }
        }
    }

    /// <summary>The creating process holds both ends.</summary>
    public void AttachCreator(BrokerCaller creator)
    {
        creator.AddPipeReference(this, 0);
        creator.AddPipeReference(this, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Handle(BrokerCaller caller, BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply)
    {
        if (operands.Length < 1 || operands[0] > 1)
        {
            reply.TryError(BrokerErrorKind.WireFormat, "A pipe request must name end 0 or 1.");
            return;
        }

        int end = operands[0];
        switch (op)
        {
            case BrokerOp.PipeSend:
                Send(caller, end, operands[1..].ToArray(), reply);
                return;
            case BrokerOp.PipeReceive:
                Receive(caller, end, wait: operands.Length > 1 && operands[1] != 0, reply);
                return;
            case BrokerOp.PipePoll:
                Poll(caller, end, wait: operands.Length > 1 && operands[1] != 0, reply);
                return;
            case BrokerOp.PipeAttach:
                Attach(caller, end, reply);
                return;
            case BrokerOp.PipeHandoff:
                Handoff(end, reply);
                return;
            case BrokerOp.PipeRelease:
                if (caller.RemovePipeReference(this, end))
                {
                    ReleaseReferences(end, 1);
                }

                reply.TryOk();
                return;
            default:
                reply.TryError(BrokerErrorKind.InvalidOperation, $"A pipe does not support {op}.");
                return;
        }
    }

    /// <summary>Drops <paramref name="count"/> holders of <paramref name="end"/>; at zero the end closes.</summary>
    public void ReleaseReferences(int end, int count)
    {
        List<BrokerReply> endOfStream = [];
        List<BrokerReply> closedUnder = [];
        List<BrokerReply> readable = [];
        bool bothClosed;
        lock (Gate)
        {
            _references[end] -= count;
            if (_references[end] > 0 || _closed[end])
            {
                return;
            }

            _closed[end] = true;

            // Whoever waits at the other end for more from this one will never get it.
            if (_incoming[1 - end].Count == 0)
            {
                endOfStream = _incoming[1 - end].TakeWaiters();
            }

            closedUnder = [.. _incoming[end].TakeWaiters(), .. _pollers[end]];
            _pollers[end].Clear();

            // End-of-stream is something to receive: a Poll on the other end says so, as Python's poll() does.
            readable = [.. _pollers[1 - end]];
            _pollers[1 - end].Clear();
            bothClosed = _closed[1 - end];
        }

        foreach (BrokerReply poller in readable)
        {
            poller.Caller.ForgetWait(poller.RequestId);
            poller.TryOk();
        }

        foreach (BrokerReply waiter in endOfStream)
        {
            waiter.Caller.ForgetWait(waiter.RequestId);
            waiter.TryError(BrokerErrorKind.EndOfStream, EndOfStreamMessage(1 - end));
        }

        foreach (BrokerReply waiter in closedUnder)
        {
            waiter.Caller.ForgetWait(waiter.RequestId);
            waiter.TryError(BrokerErrorKind.ObjectDisposed, $"Pipe end {end} was closed while this process was receiving on it.");
        }

        if (bothClosed)
        {
            Server.Remove(this);
        }
    }

    /// <inheritdoc/>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryTakeNow(int end, [NotNullWhen(true)] out byte[]? item)
    {
        lock (Gate)
        {
            // A closed end, a destroyed pipe, or another process waiting on this end: the request path says what is wrong.
            if (Destroyed || _closed[end] || _incoming[end].HasWaiters || !_incoming[end].TryTake(out item))
            {
                item = null;
                return false;
            }

            return true;
        }
    }

    /// <inheritdoc/>
    public bool IsReady(int end) => _incoming[end].Available > 0 || Volatile.Read(ref _closed[1 - end]) || Volatile.Read(ref _closed[end]);

    public override void Destroy()
    {
        List<BrokerReply> waiters;
        lock (Gate)
        {
            base.Destroy();
            waiters = [.. _incoming[0].TakeWaiters(), .. _incoming[1].TakeWaiters(), .. _pollers[0], .. _pollers[1]];
            _pollers[0].Clear();
            _pollers[1].Clear();
        }

        foreach (BrokerReply waiter in waiters)
        {
            waiter.Caller.ForgetWait(waiter.RequestId);
            waiter.TryError(BrokerErrorKind.EndOfStream, $"The pipe is gone: the process hosting it ({Server.HostProcessId}) shut it down.");
        }
    }

    public override void CancelWait(BrokerReply reply)
    {
        lock (Gate)
        {
            if (_incoming[0].Remove(reply) || _incoming[1].Remove(reply) || _pollers[0].Remove(reply) || _pollers[1].Remove(reply))
            {
                reply.TryComplete(BrokerStatus.Cancelled, default);
            }
        }
    }

    public override void DropWait(BrokerReply reply)
    {
        lock (Gate)
        {
            _ = _incoming[0].Remove(reply) || _incoming[1].Remove(reply) || _pollers[0].Remove(reply) || _pollers[1].Remove(reply);
            reply.Abandon();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Send(BrokerCaller caller, int end, byte[] message, BrokerReply reply)
    {
        List<BrokerReply>? pollers = null;
        lock (Gate)
        {
            if (RejectIfDestroyed(reply) || RejectIfUnusable(caller, end, reply))
            {
                return;
            }

            if (_closed[1 - end])
            {
                reply.TryError(BrokerErrorKind.IO, $"Can't send on pipe end {end}: the other end is closed (every process that held it disposed it or exited), so nobody could ever receive this message.");
                return;
            }

            _incoming[1 - end].Offer(message);
            if (_pollers[1 - end].Count > 0)
            {
                pollers = [.. _pollers[1 - end]];
                _pollers[1 - end].Clear();
            }
        }

        if (pollers is not null)
        {
            foreach (BrokerReply poller in pollers)
            {
                poller.Caller.ForgetWait(poller.RequestId);
                poller.TryOk();
            }
        }

        reply.TryOk();
    }

    /// <summary>A pipe takes batches of posted sends itself (see <see cref="TakePosted"/>).</summary>
    public bool TakesBatchesOf(BrokerOp op) => op == BrokerOp.PipeSend;

    /// <summary>
    /// Carries out the next posted sends of a batch (<see cref="Protocol.BrokerPostBatch"/>) under one lock, instead of a lookup,
    /// a dispatch, a lock and a reply per message. Stops before an entry that may need an answer (a malformed one, a closed or
    /// disposed pipe, a process blocked receiving on the sending end): that one is returned in <paramref name="unhandled"/> for
    /// the one-by-one path, which refuses it exactly as before. Holds the lock for at most <see cref="SendsPerLock"/> messages
    /// at a time, so a receiver in this process is never kept waiting for a whole batch.
    /// </summary>
    /// <returns><see langword="true"/> when it stopped at <paramref name="unhandled"/>; <see langword="false"/> when the batch is done.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TakePosted(ref Protocol.BrokerPostBatch.Reader entries, out ReadOnlySpan<byte> unhandled)
    {
        unhandled = default;
        bool stopped = false;
        bool more = true;
        while (more && !stopped)
        {
            List<BrokerReply>? pollers = null;
            lock (Gate)
            {
                for (int taken = 0; ; taken++)
                {
                    if (taken == SendsPerLock)
                    {
                        break;
                    }

                    if (!entries.TryNext(out ReadOnlySpan<byte> operands))
                    {
                        more = false;
                        break;
                    }

                    int end = operands.Length >= 1 ? operands[0] : -1;
                    if ((uint)end > 1 || Destroyed || _closed[end] || _closed[1 - end] || _incoming[end].HasWaiters)
                    {
                        unhandled = operands;
                        stopped = true;
                        break;
                    }

                    _incoming[1 - end].Offer(operands[1..].ToArray());
                    if (_pollers[1 - end].Count > 0)
                    {
                        (pollers ??= []).AddRange(_pollers[1 - end]);
                        _pollers[1 - end].Clear();
                    }
                }
            }

            if (pollers is not null)
            {
                foreach (BrokerReply poller in pollers)
                {
                    poller.Caller.ForgetWait(poller.RequestId);
                    poller.TryOk();
                }
            }
        }

        return stopped;
    }

    private void Receive(BrokerCaller caller, int end, bool wait, BrokerReply reply)
    {
        lock (Gate)
        {
            if (RejectIfDestroyed(reply) || RejectIfUnusable(caller, end, reply) || _incoming[end].TryAnswer(reply))
            {
                return;
            }

            if (_closed[1 - end])
            {
                reply.TryError(BrokerErrorKind.EndOfStream, EndOfStreamMessage(end));
            }
            else if (!wait)
            {
                reply.TryComplete(BrokerStatus.Empty, default);
            }
            else if (caller.TrackWait(this, reply))
            {
                _incoming[end].Wait(reply);
            }
        }
    }

    /// <summary>Answers Ok when <paramref name="end"/> has something to receive (a message, or end-of-stream), without taking it.</summary>
    private void Poll(BrokerCaller caller, int end, bool wait, BrokerReply reply)
    {
        lock (Gate)
        {
            if (RejectIfDestroyed(reply) || RejectIfUnusable(caller, end, reply))
            {
                return;
            }

            if (_incoming[end].Count > 0 || _closed[1 - end])
            {
                reply.TryOk();
            }
            else if (!wait)
            {
                reply.TryComplete(BrokerStatus.Empty, default);
            }
            else if (caller.TrackWait(this, reply))
            {
                _pollers[end].Add(reply);
            }
        }
    }

    private void Attach(BrokerCaller caller, int end, BrokerReply reply)
    {
        lock (Gate)
        {
            if (RejectIfDestroyed(reply))
            {
                return;
            }

            if (_closed[end])
            {
                reply.TryError(BrokerErrorKind.ObjectDisposed, $"Pipe end {end} was closed (every process that held it disposed it) before this process opened it.");
                return;
            }

            // The handle this process read was counted when it was written; take that count over, or add one.
            if (_handoffs[end] > 0)
            {
                _handoffs[end]--;
            }
            else
            {
                _references[end]++;
            }

            caller.AddPipeReference(this, end);
        }

        reply.TryOk();
    }

    private void Handoff(int end, BrokerReply reply)
    {
        lock (Gate)
        {
            if (RejectIfDestroyed(reply))
            {
                return;
            }

            if (_closed[end])
            {
                reply.TryError(BrokerErrorKind.ObjectDisposed, $"Pipe end {end} is closed: it can't be passed to another process.");
                return;
            }

            // Keeps the end open while the handle travels, so its sender may dispose its own copy at once (Python's child_conn.close()).
            _references[end]++;
            _handoffs[end]++;
        }

        reply.TryOk();
    }

    /// <summary>Call under the lock: an end of a closed pipe, or one another process is blocked receiving on, can't be used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool RejectIfUnusable(BrokerCaller caller, int end, BrokerReply reply)
    {
        if (_closed[end])
        {
            reply.TryError(BrokerErrorKind.ObjectDisposed, $"Pipe end {end} is closed.");
            return true;
        }

        // The common case on every send: nobody is blocked receiving on this end.
        if (!_incoming[end].HasWaiters)
        {
            return false;
        }

        foreach (BrokerReply waiting in _incoming[end].Waiters)
        {
            if (waiting.Caller != caller)
            {
                reply.TryError(
                    BrokerErrorKind.InvalidOperation,
                    $"Pipe end {end} is in use by process {waiting.Caller.ProcessId}, which is blocked receiving on it, and process {caller.ProcessId} tried to use it at the same time. " +
                    "A pipe end belongs to one process at a time: two readers would steal each other's messages (Python's multiprocessing warns the data can be corrupted). " +
                    "Give each process its own pipe, or use a ProcessQueue, which is safe for many producers and consumers.");
                return true;
            }
        }

        return false;
    }

    private static string EndOfStreamMessage(int end) =>
        $"Pipe end {1 - end} is closed (every process that held it disposed it or exited) and pipe end {end} has received everything it sent.";
}
