using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Client;

/// <summary>
/// What a proxy holds and a handle carries: which broker hosts the object (<see langword="null"/>
/// means this process) and the object's id there.
/// </summary>
internal readonly struct BrokerHandle(BrokerAddress? remote, long id)
{
    public BrokerAddress? Remote { get; } = remote;

    public long Id { get; } = id;

    public BrokerSession Session => BrokerSessions.For(Remote);

    public string HostDescription => Remote?.HostDescription ?? $"this process ({Environment.ProcessId})";

    /// <summary>Creates an object in this process's broker.</summary>
    public static BrokerHandle CreateLocal(BrokerOp kind, ReadOnlySpan<byte> operands = default)
    {
        BrokerServer server = LocalBroker.Server;
        return new BrokerHandle(null, server.Create(kind, server.LocalCaller, operands));
    }

    public BrokerResult Invoke(BrokerOp op, ReadOnlySpan<byte> operands = default) => Session.Invoke(op, Id, operands);

    public BrokerResult Invoke(BrokerOp op, ReadOnlySpan<byte> operands, TimeSpan wait, CancellationToken cancellationToken = default) =>
        Session.Invoke(op, Id, operands, wait, cancellationToken);

    public Task<BrokerResult> InvokeAsync(BrokerOp op, ReadOnlySpan<byte> operands, CancellationToken cancellationToken) =>
        Session.InvokeAsync(op, Id, operands, cancellationToken);

    /// <summary>
    /// Sends a request that may wait (a Get, a Receive, a Put into a full queue): <paramref name="operands"/> come first and a
    /// wait flag follows them, because a request that doesn't wait is answered at once and only a waiting one needs its own
    /// timeout (and a cancel). Errors are thrown; any other status (Empty, Cancelled, Completed...) is returned.
    /// </summary>
    public BrokerResult InvokeWaiting(BrokerOp op, ReadOnlySpan<byte> operands, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool waits = timeout != TimeSpan.Zero;
        Span<byte> request = operands.Length < 256 ? stackalloc byte[operands.Length + 1] : new byte[operands.Length + 1];
        operands.CopyTo(request);
        request[^1] = waits ? (byte)1 : (byte)0;
        return Invoke(op, request, waits ? timeout : Timeout.InfiniteTimeSpan, cancellationToken).ThrowIfError();
    }

    /// <summary>The asynchronous <see cref="InvokeWaiting"/>: waits as long as it takes, or until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<BrokerResult> InvokeWaitingAsync(BrokerOp op, byte[] operands, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] request = new byte[operands.Length + 1];
        operands.CopyTo(request, 0);
        request[^1] = 1;
        return (await InvokeAsync(op, request, cancellationToken).ConfigureAwait(false)).ThrowIfError();
    }

    /// <summary>
    /// Takes one value from a blocking broker object (a queue's next item, a pipe end's next message), waiting up to
    /// <paramref name="timeout"/>. <paramref name="operands"/> come first; a wait flag follows them, because a request
    /// that doesn't wait is answered at once and only a waiting one needs its own timeout (and a cancel).
    /// </summary>
    public bool TryTake<T>(BrokerOp op, ReadOnlySpan<byte> operands, TimeSpan timeout, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value, CancellationToken cancellationToken)
    {
        BrokerResult result = InvokeWaiting(op, operands, timeout, cancellationToken);
        if (!result.IsOk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            value = default;
            return false;
        }

        value = WireCodec<T>.FromBytes(result.Payload);
        return true;
    }

    /// <summary>Writes where the object lives; a locally hosted object makes this process's broker start listening.</summary>
    public void Write(WireWriter writer)
    {
        (Remote ?? LocalBroker.Address).Write(writer);
        writer.WriteInt64(Id);
    }

    public static BrokerHandle Read(ref WireReader reader)
    {
        BrokerAddress address = BrokerAddress.Read(ref reader);
        long id = reader.ReadInt64();
        return new BrokerHandle(LocalBroker.IsLocal(address) ? null : address, id);
    }

    /// <summary>
    /// Writes a proxy's handle the way every handle codec carries it: a presence byte (0 for a <see langword="null"/> proxy),
    /// then the handle (<see cref="Write"/>). <see cref="ReadNullable"/> reads it back.
    /// </summary>
    public static void WriteNullable(WireWriter writer, BrokerHandle? handle)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(handle is null ? (byte)0 : (byte)1);
        handle?.Write(writer);
    }

    /// <summary>Reads what <see cref="WriteNullable"/> wrote: <see langword="null"/> for a <see langword="null"/> proxy.</summary>
    public static BrokerHandle? ReadNullable(ref WireReader reader) => reader.ReadByte() == 0 ? null : Read(ref reader);

    /// <summary>Checks a wait argument the .NET way (negative other than infinite is a caller bug).</summary>
    public static void ValidateTimeout(TimeSpan timeout, string parameterName)
    {
        if ((timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan) || timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(parameterName, timeout, "The timeout must be zero or positive (at most ~24.8 days), or Timeout.InfiniteTimeSpan.");
        }
    }
}
