using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ParallelGen.Brokering.Client;
using ParallelGen.Brokering.Queues;
using ParallelGen.Primitives;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// One end of a <see cref="ProcessPipe"/> (Python's <c>Connection</c>): what one end sends, the other
/// receives, in order. Pass an end to a <see cref="WorkerAttribute"/> method and that process uses it.
/// <code>
/// var (parentEnd, childEnd) = ProcessPipe.Create&lt;string&gt;();
/// WorkerProcess.Start(Jobs.Sender, childEnd);
/// for (string m = parentEnd.Receive(); m != "END"; m = parentEnd.Receive()) Console.WriteLine(m);
/// </code>
/// </summary>
/// <remarks>
/// An end belongs to one process at a time: if a second process uses an end while another is blocked
/// receiving on it, it gets <see cref="InvalidOperationException"/> instead of stealing messages. An
/// end is closed when every process holding it has disposed it or exited; the other end then receives
/// what is left and after that gets <see cref="EndOfStreamException"/> (Python's <c>EOFError</c>).
/// Passing an end to another process keeps it open until that process has it, so the sender may
/// dispose its own copy right away (Python's <c>child_conn.close()</c> after <c>start()</c>).
/// </remarks>
/// <typeparam name="T">The message type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
[WireCodec(typeof(PipeEndCodec<>))]
public sealed class PipeEnd<T> : IDisposable
{
    private readonly BrokerHandle _handle;
    private readonly byte _end;
    private readonly PipeDirection _direction;
    private int _disposed;

    // Takes from the pipe itself when this process hosts it (see LocalTaker); null elsewhere.
    private LocalTaker? _taker;

    internal PipeEnd(BrokerHandle handle, int end, PipeDirection direction = PipeDirection.Both)
    {
        _handle = handle;
        _end = (byte)end;
        _direction = direction;
    }

    /// <summary>Whether this end can send (Python's <c>writable</c>): <see langword="false"/> for the receive-only end of a one-way pipe.</summary>
    public bool CanSend => _direction != PipeDirection.ReceiveOnly;

    /// <summary>Whether this end can receive (Python's <c>readable</c>): <see langword="false"/> for the send-only end of a one-way pipe.</summary>
    public bool CanReceive => _direction != PipeDirection.SendOnly;

    internal BrokerHandle Handle => Volatile.Read(ref _disposed) != 0 ? throw new ObjectDisposedException(nameof(PipeEnd<T>), "This pipe end was disposed.") : _handle;

    internal int End => _end;

    internal PipeDirection Direction => _direction;

    /// <summary>Sends <paramref name="message"/> to the other end (Python's <c>send()</c>). Never blocks.</summary>
    /// <exception cref="IOException">The other end is closed, or the process hosting the pipe is gone.</exception>
    /// <exception cref="InvalidOperationException">Another process is using this end at the same time.</exception>
    /// <exception cref="InvalidOperationException">This is the receive-only end of a one-way pipe.</exception>
    /// <remarks>
    /// To a pipe hosted by another process the send is pipelined: it returns once the message is queued for sending, and
    /// messages arrive in the order they were sent. A refused send (the other end was closed) is thrown by the next call on
    /// this end, at the latest by <see cref="Dispose"/>; a [Worker] task and a normal process exit wait for their sends.
    /// </remarks>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Send(T message)
    {
        BrokerHandle handle = Handle;
        RequireDirection(receive: false);

        // The end and the message, written straight into the thread's scratch buffer (Post copies them into the outgoing frame).
        WireWriter operands = ScratchWriter.Take();
        try
        {
            operands.WriteByte(_end);
            WireCodec<T>.Instance.Write(operands, message);
            handle.Session.Post(BrokerOp.PipeSend, handle.Id, operands.WrittenSpan);
        }
        finally
        {
            ScratchWriter.Return(operands);
        }
    }

    /// <summary>Sends <paramref name="message"/> to the other end without blocking a thread on the round trip to the pipe's host.</summary>
    /// <exception cref="IOException">The other end is closed, or the process hosting the pipe is gone.</exception>
    /// <exception cref="InvalidOperationException">This is the receive-only end of a one-way pipe, or another process is using this end at the same time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before sending (a send under way is never cut in half).</exception>
    public async Task SendAsync(T message, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BrokerHandle handle = Handle;
        if (handle.Remote is not null)
        {
            handle.Session.Post(BrokerOp.PipeSend, handle.Id, SendOperands(message));
            return;
        }

        (await handle.InvokeAsync(BrokerOp.PipeSend, SendOperands(message), CancellationToken.None).ConfigureAwait(false)).ThrowIfError();
    }

    /// <summary>Receives the next message without holding a thread while it waits (Python's <c>recv()</c>, awaitable).</summary>
    /// <exception cref="OperationCanceledException">Cancelled before a message arrived (a message already on its way is returned, never lost).</exception>
    /// <exception cref="EndOfStreamException">The other end is closed and everything it sent has been received.</exception>
    /// <exception cref="InvalidOperationException">This is the send-only end of a one-way pipe, or another process is using this end at the same time.</exception>
    public async Task<T> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        RequireDirection(receive: true);
        if (TryTakeLocal(Handle, wait: false, cancellationToken, out T? message, out _))
        {
            return message;
        }

        BrokerResult result = await Handle.InvokeWaitingAsync(BrokerOp.PipeReceive, [_end], cancellationToken).ConfigureAwait(false);
        if (!result.IsOk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new OperationCanceledException("The wait for a message was cancelled.", cancellationToken);
        }

        return WireCodec<T>.FromBytes(result.Payload);
    }

    /// <summary>
    /// Whether there is something to receive, waiting up to <paramref name="timeout"/> for it (Python's <c>poll(timeout)</c>);
    /// takes nothing. <see langword="true"/> also once the other end is closed and everything it sent was received, because
    /// <see cref="Receive()"/> then returns at once (with <see cref="EndOfStreamException"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">This is the send-only end of a one-way pipe.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public bool Poll(TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        RequireDirection(receive: true);
        return Handle.InvokeWaiting(BrokerOp.PipePoll, [_end], timeout, default).IsOk;
    }

    /// <summary>Whether there is something to receive right now (Python's <c>poll()</c>); takes nothing.</summary>
    /// <exception cref="InvalidOperationException">This is the send-only end of a one-way pipe.</exception>
    public bool Poll() => Poll(TimeSpan.Zero);

    /// <summary>Receives the next message, waiting as long as it takes (Python's <c>recv()</c>).</summary>
    /// <exception cref="EndOfStreamException">The other end is closed and everything it sent has been received.</exception>
    /// <exception cref="InvalidOperationException">Another process is using this end at the same time.</exception>
    public T Receive()
    {
        TryTake(Timeout.InfiniteTimeSpan, out T? message);
        return message!;
    }

    /// <summary>Receives the next message, waiting until one arrives or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before a message arrived (a message already on its way is returned, never lost).</exception>
    /// <exception cref="EndOfStreamException">The other end is closed and everything it sent has been received.</exception>
    public T Receive(CancellationToken cancellationToken)
    {
        TryTake(Timeout.InfiniteTimeSpan, out T? message, cancellationToken);
        return message!;
    }

    /// <summary>Receives the next message, waiting up to <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">No message arrived in time.</exception>
    /// <exception cref="EndOfStreamException">The other end is closed and everything it sent has been received.</exception>
    public T Receive(TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        if (!TryTake(timeout, out T? message))
        {
            throw new TimeoutException($"No message arrived on the pipe within {timeout.TotalSeconds:0.###} s.");
        }

        return message!;
    }

    /// <summary>Receives a message if one is waiting right now; <see langword="false"/> otherwise.</summary>
    /// <exception cref="EndOfStreamException">The other end is closed and everything it sent has been received (never <see langword="false"/> forever).</exception>
    public bool TryReceive([MaybeNullWhen(false)] out T message) => TryTake(TimeSpan.Zero, out message);

    /// <summary>Receives a message if one arrives within <paramref name="timeout"/>; <see langword="false"/> otherwise.</summary>
    /// <exception cref="EndOfStreamException">The other end is closed and everything it sent has been received.</exception>
    public bool TryReceive([MaybeNullWhen(false)] out T message, TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        return TryTake(timeout, out message);
    }

    /// <summary>
    /// Closes this process's use of the end (Python's <c>close()</c>). When no process holds the end any
    /// more, the other end receives what is left and then gets <see cref="EndOfStreamException"/>.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Sends made earlier are carried out before the release, so a refusal of one has arrived once it is answered.
        Exception? refused;
        try
        {
            BrokerSession session = _handle.Session;
            refused = session.TakeRefusal(_handle.Id);
            _handle.Invoke(BrokerOp.PipeRelease, [_end]);
            refused ??= session.TakeRefusal(_handle.Id);
        }
        catch (IOException)
        {
            // The pipe's host is gone: so is the pipe.
            return;
        }

        if (refused is not null)
        {
            throw refused;
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"PipeEnd<{typeof(T).Name}> {_end}{_direction switch { PipeDirection.ReceiveOnly => " (receive-only)", PipeDirection.SendOnly => " (send-only)", _ => "" }} of pipe #{_handle.Id} hosted by {_handle.HostDescription}";

    /// <summary>Counts the copy of this end that is about to travel to another process.</summary>
    internal void Handoff() => Handle.Invoke(BrokerOp.PipeHandoff, [_end]).ThrowIfError();

    /// <summary>Opens an end that arrived from another process.</summary>
    internal static PipeEnd<T> Attach(BrokerHandle handle, int end, PipeDirection direction)
    {
        handle.Invoke(BrokerOp.PipeAttach, [(byte)end]).ThrowIfError();
        return new PipeEnd<T>(handle, end, direction);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryTake(TimeSpan timeout, [MaybeNullWhen(false)] out T message, CancellationToken cancellationToken = default)
    {
        RequireDirection(receive: true);
        BrokerHandle handle = Handle;
        if (TryTakeLocal(handle, wait: timeout != TimeSpan.Zero, cancellationToken, out message, out long waitStart))
        {
            return true;
        }

        bool taken = handle.TryTake(BrokerOp.PipeReceive, [_end], timeout, out message, cancellationToken);
        _taker?.Observe(waitStart);
        return taken;
    }

    /// <summary>
    /// The fast path of a receive when this process hosts the pipe: a message that is there is taken from the pipe itself, and
    /// a waiting receive spins briefly first (see <see cref="LocalTaker"/>). <see langword="false"/>: receive through a
    /// request, then report <paramref name="waitStart"/> to the taker.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryTakeLocal(BrokerHandle handle, bool wait, CancellationToken cancellationToken, [MaybeNullWhen(false)] out T message, out long waitStart)
    {
        cancellationToken.ThrowIfCancellationRequested();
        waitStart = 0;
        if ((_taker ??= LocalTaker.For(handle, _end)) is { } taker && taker.TryTake(wait, cancellationToken, out byte[]? bytes, out waitStart))
        {
            message = WireCodec<T>.FromBytes(bytes);
            return true;
        }

        message = default;
        return false;
    }

    private byte[] SendOperands(T message)
    {
        RequireDirection(receive: false);
        byte[] bytes = WireCodec<T>.ToBytes(message);
        byte[] operands = new byte[bytes.Length + 1];
        operands[0] = _end;
        bytes.CopyTo(operands, 1);
        return operands;
    }

    private void RequireDirection(bool receive)
    {
        if (receive && _direction == PipeDirection.SendOnly)
        {
            throw new InvalidOperationException(
                "This is the send-only end of a one-way pipe: it can't receive. ProcessPipe.Create<T>(duplex: false) returns (receive-only end, send-only end), like Python's Pipe(duplex=False) -> (r, w); receive on the first one.");
        }

        if (!receive && _direction == PipeDirection.ReceiveOnly)
        {
            throw new InvalidOperationException(
                "This is the receive-only end of a one-way pipe: it can't send. ProcessPipe.Create<T>(duplex: false) returns (receive-only end, send-only end), like Python's Pipe(duplex=False) -> (r, w); send on the second one.");
        }
    }
}
