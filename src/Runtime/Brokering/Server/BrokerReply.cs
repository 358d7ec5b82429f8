using System.Diagnostics;
using System.Runtime.CompilerServices;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Server;

/// <summary>
/// The answer to one request, sent exactly once: at once, or later by whoever fulfils a wait (a
/// Put that finds a waiting Get). A reply that can't reach its caller (the connection is gone)
/// reports so, and the broker keeps the item instead of losing it.
/// </summary>
internal abstract class BrokerReply
{
    private int _completed;
    private volatile bool _parked;

    protected BrokerReply(BrokerCaller caller, long requestId)
    {
        Caller = caller;
        RequestId = requestId;
    }

    public BrokerCaller Caller { get; }

    public long RequestId { get; private set; }

    /// <summary>
    /// Whether the reply was answered and never parked: nobody else holds it, so its connection may use it for its next
    /// request (<see cref="Rearm"/>). A parked reply may still be in a waiter list, or be read by whoever answered it.
    /// </summary>
    public bool IsFree => Volatile.Read(ref _completed) != 0 && !_parked;

    /// <summary>Records that an object parked this reply to answer it later (<see cref="BrokerCaller.TrackWait"/>): it is never reused.</summary>
    public void MarkParked() => _parked = true;

    /// <summary>Sends the answer. <see langword="false"/> when it was already answered or the caller is unreachable.</summary>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryComplete(BrokerStatus status, ReadOnlySpan<byte> payload)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        return Deliver(status, payload);
    }

    /// <summary>Marks the reply answered without sending anything (its caller is gone).</summary>
    public void Abandon() => Interlocked.Exchange(ref _completed, 1);

    public bool TryOk() => TryComplete(BrokerStatus.Ok, default);

    public bool TryOk(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return TryComplete(BrokerStatus.Ok, bytes);
    }

    public bool TryOk(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return TryComplete(BrokerStatus.Ok, bytes);
    }

    public bool TryOk(bool value) => TryComplete(BrokerStatus.Ok, [value ? (byte)1 : (byte)0]);

    public bool TryError(BrokerErrorKind kind, string message)
    {
        using var writer = new WireWriter(64 + (message.Length * 3));
        writer.WriteByte((byte)kind);
        writer.WriteString(message);
        return TryComplete(BrokerStatus.Error, writer.WrittenSpan);
    }

    protected abstract bool Deliver(BrokerStatus status, ReadOnlySpan<byte> payload);

    /// <summary>Makes a free reply (<see cref="IsFree"/>) the unanswered reply to request <paramref name="requestId"/> of the same caller.</summary>
    protected void Rearm(long requestId)
    {
        Debug.Assert(IsFree, "Only a reply nobody else holds may be reused.");
        RequestId = requestId;
        Volatile.Write(ref _completed, 0);
    }
}

/// <summary>For requests that expect no answer (<see cref="BrokerOp.CancelWait"/>).</summary>
internal sealed class DiscardedReply(BrokerCaller caller) : BrokerReply(caller, 0)
{
    protected override bool Deliver(BrokerStatus status, ReadOnlySpan<byte> payload) => true;
}
