using System.Net.Sockets;
using System.Runtime.CompilerServices;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Client;

/// <summary>
/// Posting, the part of a session that queue puts and pipe sends use: a request whose answer nobody waits for joins a
/// batch frame (<see cref="BrokerPostBatch"/>) that the feeder thread writes, and the broker answers only a refusal,
/// which the next call on the same object throws.
/// </summary>
internal sealed partial class RemoteBrokerSession
{
    /// <summary>
    /// Sends a request without waiting for its answer (a Put into an unbounded queue, a pipe Send): it is queued behind this
    /// process's earlier requests to the same broker and written by the feeder thread, batched with whatever else was posted
    /// meanwhile. The broker answers it only if it fails; that refusal is thrown by the next call on the same object
    /// (<see cref="ThrowIfRefused"/>), or by <see cref="Confirm"/>.
    /// </summary>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Post(BrokerOp op, long objectId, ReadOnlySpan<byte> operands)
    {
        ThrowIfRefused(objectId);
        if (_broken is { } broken)
        {
            throw Lost(broken);
        }

        // A negative request id asks for an answer only on failure, and names the object it concerns.
        bool wake;
        bool full;
        lock (_appendGate)
        {
            AppendPosted(op, objectId, operands);
            wake = !_feederWoken;
            _feederWoken = true;
            full = _outboxLength >= OutboxLimit;
        }

        Volatile.Write(ref _unconfirmed, 1);
        BrokerSessions.Posted();
        if (full)
        {
            WriteOutbox();
        }
        else if (wake)
        {
            StartFeeder();
            _wakeFeeder.Release();
        }
    }

    /// <summary>
    /// Waits until the broker has carried out every request this process sent it so far (one round trip: requests on a
    /// connection are carried out in order), then throws the first refusal of a posted request, if any.
    /// </summary>
    /// <param name="objectId">Only refusals concerning this object; 0 for any.</param>
    public override void Confirm(long objectId)
    {
        Volatile.Write(ref _unconfirmed, 0);
        Invoke(BrokerOp.Sync, 0, default).ThrowIfError();
        if (objectId != 0)
        {
            ThrowIfRefused(objectId);
        }
        else
        {
            foreach (long refused in _refusals.Keys)
            {
                ThrowIfRefused(refused);
            }
        }
    }

    /// <summary>Throws, once, the refusal of a request posted earlier for <paramref name="objectId"/>.</summary>
    public override void ThrowIfRefused(long objectId)
    {
        if (TakeRefusal(objectId) is { } refused)
        {
            throw refused;
        }
    }

    /// <inheritdoc/>
    public override Exception? TakeRefusal(long objectId)
    {
        if (Volatile.Read(ref _refusalCount) == 0 || !_refusals.TryRemove(objectId, out BrokerResult refusal))
        {
            return null;
        }

        Interlocked.Decrement(ref _refusalCount);

        try
        {
            refusal.ThrowIfError();
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new InvalidOperationException(
                $"An earlier Put or Send from this process (sent without waiting for its answer) was refused by {Address.HostDescription}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Call under <see cref="_appendGate"/>: adds a posted request to the open batch frame when it is for the same object and
    /// operation (patching the frame's length), else opens a new batch. Requests stay in the order they were posted: only
    /// the last frame of the outbox is ever extended.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AppendPosted(BrokerOp op, long objectId, ReadOnlySpan<byte> operands)
    {
        int entry = BrokerPostBatch.EntryOverhead + operands.Length;
        if (entry > MaxBatchLength / 4)
        {
            Append(-objectId, op, objectId, operands);
            return;
        }

        if (_batchAt < 0 || _batchObject != objectId || _batchOp != op || _outboxLength - _batchAt + entry > MaxBatchLength)
        {
            const int Opening = ProtocolConstants.HeaderLength + BrokerRequestHeader.Length + BrokerPostBatch.PrefixLength;
            EnsureOutbox(Opening);
            Span<byte> body = _outbox.AsSpan(_outboxLength + ProtocolConstants.HeaderLength, BrokerRequestHeader.Length + BrokerPostBatch.PrefixLength);
            new BrokerRequestHeader(-objectId, BrokerOp.PostBatch, objectId).Write(body);
            BrokerPostBatch.WritePrefix(body[BrokerRequestHeader.Length..], op);
            _batchAt = _outboxLength;
            _batchObject = objectId;
            _batchOp = op;
            _outboxLength += Opening;
        }

        EnsureOutbox(entry);
        BrokerPostBatch.WriteEntry(_outbox.AsSpan(_outboxLength, entry), operands);
        _outboxLength += entry;
        FrameHeader.Write(_outbox.AsSpan(_batchAt), FrameType.BrokerRequest, _outboxLength - _batchAt - ProtocolConstants.HeaderLength);
    }

    private void StartFeeder()
    {
        if (_feeder is not null)
        {
            return;
        }

        lock (_writeGate)
        {
            if (_feeder is null)
            {
                _feeder = new Thread(Feed) { IsBackground = true, Name = "Parallel.Gen broker feeder" };
                _feeder.Start();
            }
        }
    }

    /// <summary>The feeder thread: writes posted requests as they gather, so a posting thread returns at once (Python's queue feeder thread).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Feed()
    {
        while (true)
        {
            _wakeFeeder.Wait();
            if (_broken is not null)
            {
                return;
            }

            try
            {
                WriteOutbox();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
            {
                // The reader sees the same break and fails every call; the next post or call throws it.
                _broken ??= e;
                return;
            }
        }
    }
}
