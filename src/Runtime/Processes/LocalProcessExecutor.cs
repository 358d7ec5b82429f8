using System.Net.Sockets;
using System.Security.Cryptography;
using ParallelGen.Execution;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Processes;

/// <summary>
/// Runs chunks in local worker processes: one private channel per worker (never a shared queue
/// behind a cross-process lock), one in-memory <see cref="ChunkDispatcher"/> that hands chunks to idle workers.
/// </summary>
internal sealed class LocalProcessExecutor : IWorkerExecutor, IBlockingExecutor, IObservingExecutor, IWorkerDispatch, ISlotSupervisor
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long Dispose lets idle workers exit on their own before it kills them.</summary>
    private static readonly TimeSpan DisposeGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long Join/Dispose wait for exited workers' last output lines to be forwarded.</summary>
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(2);

    private readonly ChunkDispatcher _dispatcher = new();
    private readonly CancellationTokenSource _terminate = new();
    private readonly PrivateEndpoint _endpoint;
    private readonly WorkerSlot[] _slots;
    private readonly Task _accepting;
    private int _brokenSlots;
    private int _callersReading;
    private long _repliesReadByCallers;
    private volatile string? _brokenReason;
    private volatile Exception? _brokenCause;
    private volatile bool _stopping;
    private int _terminated;

    public LocalProcessExecutor(PoolSettings settings, IPoolEvents events)
    {
        Settings = settings;
        Events = events;
        MaxFrameLength = settings.MaxFrameLength;
        _endpoint = PrivateEndpoint.Create();
        try
        {
            Launcher = new WorkerLauncher(settings.WorkerExecutable, _endpoint.SocketPath, _endpoint.Secret, settings.TaskTimeout, prefixOutput: settings.PrefixWorkerOutput, maxMemory: settings.MaxMemoryPerChild, transport: settings.Transport);
        }
        catch
        {
            _endpoint.Dispose();
            throw;
        }

        _slots = new WorkerSlot[settings.Processes];
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new WorkerSlot(i, settings, events, supervisor: this, dispatch: this);
        }

        _accepting = AcceptLoopAsync();

        // All workers start at once; none waits for another to come up.
        foreach (WorkerSlot slot in _slots)
        {
            slot.Start();
        }
    }

    public int Concurrency => _slots.Length;

    public int MaxFrameLength { get; }

    /// <summary>
    /// A worker holds up to <see cref="PoolSettings.PipelineDepth"/> small fast chunks: a streaming call keeps that many per
    /// worker in flight, plus two per worker for the replies its consumer has not taken yet and the chunks it is making.
    /// </summary>
    public int MaxSmallChunksInFlight => Concurrency * Math.Max(3, Settings.PipelineDepth + 2);

    public PoolSettings Settings { get; }

    public IPoolEvents Events { get; }

    /// <summary>What <see cref="ProcessPool.GetInsights"/> reports; the slots add to it.</summary>
    public Insights.InsightsRecorder Insights { get; } = new();

    public string EndpointDirectory => _endpoint.Directory;

    public WorkerLauncher Launcher { get; }

    public ChunkDispatcher Dispatcher => _dispatcher;

    /// <summary>No new workers are started once stopping (draining or terminating).</summary>
    public bool IsStopping => _stopping;

    public CancellationToken Stopping => _terminate.Token;

    public IReadOnlyList<int> WorkerProcessIds => [.. _slots.Select(s => s.ProcessId).Where(pid => pid != 0)];

    public Task<ChunkReply> RunAsync(ChunkRequest request, CancellationToken cancellationToken) => RunAsync(request, observer: null, cancellationToken);

    public Task<ChunkReply> RunAsync(ChunkRequest request, IChunkObserver? observer, CancellationToken cancellationToken)
    {
        Task<ChunkReply>? refused = null;
        if (_brokenReason is { } reason)
        {
            refused = Task.FromException<ChunkReply>(_brokenCause is { } cause ? new WorkerStartException(reason, cause) : new WorkerStartException(reason));
        }
        else if (cancellationToken.IsCancellationRequested)
        {
            refused = Task.FromCanceled<ChunkReply>(cancellationToken);
        }

        if (refused is not null)
        {
            observer?.Settled(refused);
            return refused;
        }

        var chunk = new PendingChunk(request, observer);
        chunk.ObserveCancellation(cancellationToken);
        if (!_dispatcher.TryDispatch(chunk, out WorkerConversation? idle))
        {
            chunk.Fail(new ObjectDisposedException(nameof(ProcessPool), "The pool's workers are stopping; no new work is accepted."));
        }
        else if (idle is not null)
        {
            // A worker is idle: send from this thread rather than waking another one to do it.
            idle.Run(chunk);
        }

        return chunk.Task;
    }

    /// <summary>Blocked callers holding a worker's read gate right now (tests watch the path they exercise).</summary>
    public int CallersReading => Volatile.Read(ref _callersReading);

    /// <summary>Chunks whose caller read the outcome itself (tests, and A/B runs, check the path is taken).</summary>
    public long RepliesReadByCallers => Interlocked.Read(ref _repliesReadByCallers);

    /// <summary>
    /// A blocked caller's chunk: when it finds a worker idle, this thread sends it and, holding that worker's read gate,
    /// reads the reply itself before returning; otherwise (queued, or another thread reads there) the task completes later.
    /// </summary>
    public Task<ChunkReply> RunReading(ChunkRequest request)
    {
        if (_brokenReason is not null)
        {
            return RunAsync(request, CancellationToken.None);
        }

        var chunk = new PendingChunk(request);
        if (!_dispatcher.TryDispatch(chunk, out WorkerConversation? idle))
        {
            chunk.Fail(new ObjectDisposedException(nameof(ProcessPool), "The pool's workers are stopping; no new work is accepted."));
        }
        else if (idle is not null)
        {
            // Taken before the send, so the reply thread is not woken for a reply this thread is about to read.
            bool reading = idle.TryTakeReadGate();
            if (reading)
            {
                Interlocked.Increment(ref _callersReading);
            }

            idle.Run(chunk);
            if (reading)
            {
                idle.ReadUntilSettled(chunk);
                Interlocked.Decrement(ref _callersReading);
                if (chunk.Task.IsCompleted)
                {
                    Interlocked.Increment(ref _repliesReadByCallers);
                }
            }
        }

        // Not completed when queued, or read by another thread, or the worker died while this thread read: the caller waits.
        return chunk.Task;
    }

    /// <summary>Puts back a chunk that a dying worker had taken but not sent (or that a crash sends round again).</summary>
    public void Requeue(PendingChunk chunk)
    {
        if (!_dispatcher.TryDispatch(chunk, out WorkerConversation? idle))
        {
            chunk.Fail(new ObjectDisposedException(nameof(ProcessPool), "The pool stopped before this chunk could run."));
        }
        else
        {
            idle?.Run(chunk);
        }
    }

    /// <summary>The worker of <paramref name="idle"/> parked with nothing to run: ask the others for chunks they hold but have not started.</summary>
    public void Steal(WorkerConversation idle)
    {
        foreach (WorkerSlot slot in _slots)
        {
            if (slot.Index != idle.SlotIndex)
            {
                slot.Reclaim();
            }
        }
    }

    public void ReportBroken(int slotIndex, string reason, Exception? cause)
    {
        if (Interlocked.Increment(ref _brokenSlots) < _slots.Length || _stopping)
        {
            return;
        }

        // Every slot failed to start its worker repeatedly: queued work would wait forever, so fail it with the reason.
        _brokenReason = $"The pool's worker processes can't start: {reason} (last seen in slot {slotIndex}).";
        _brokenCause = cause;
        FailQueued(() => cause is null ? new WorkerStartException(_brokenReason) : new WorkerStartException(_brokenReason, cause));
    }

    public async Task DrainAsync()
    {
        _stopping = true;
        foreach (WorkerConversation idle in _dispatcher.Close())
        {
            // Idle workers leave now; busy ones once their reply is in and nothing is left.
            idle.Leave();
        }

        await Task.WhenAll(_slots.Select(s => s.Lifetime)).ConfigureAwait(false);
        FailQueued(() => new WorkerCrashedException("The pool's workers exited before this chunk could run."));
        await Launcher.OutputForwardedAsync(OutputDrainLimit).ConfigureAwait(false);
        Shutdown();
    }

    public void Terminate()
    {
        if (Interlocked.Exchange(ref _terminated, 1) == 1)
        {
            return;
        }

        _stopping = true;
        _dispatcher.Close();
        FailQueued(() => new OperationCanceledException("The pool was terminated before this chunk ran."));
        _terminate.Cancel();
        foreach (WorkerSlot slot in _slots)
        {
            slot.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await LetIdleWorkersLeaveAsync().ConfigureAwait(false);
        Terminate();
        await Task.WhenAll(_slots.Select(s => s.Lifetime)).ConfigureAwait(false);
        await Launcher.OutputForwardedAsync(OutputDrainLimit).ConfigureAwait(false);
        Shutdown();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _terminate.Dispose();
    }

    /// <summary>
    /// Dispose asks idle workers to leave (a Shutdown frame) rather than killing them: a worker that exits normally lets
    /// the runtime remove its debugger and diagnostics files from the temp directory, and a pool created per request
    /// would otherwise leave six files in /tmp each time. Work not yet sent fails as on Terminate; busy workers, and any
    /// that has not left within <see cref="DisposeGrace"/>, are killed by the Terminate that follows.
    /// </summary>
    private async Task LetIdleWorkersLeaveAsync()
    {
        if (Volatile.Read(ref _terminated) == 1)
        {
            return;
        }

        _stopping = true;
        List<WorkerConversation> idle = _dispatcher.Close();
        FailQueued(() => new OperationCanceledException("The pool was disposed before this chunk ran."));
        if (idle.Count == 0)
        {
            return;
        }

        foreach (WorkerConversation conversation in idle)
        {
            conversation.Leave();
        }

        Task left = Task.WhenAll(idle.Select(conversation => _slots[conversation.SlotIndex].Lifetime));
        await Task.WhenAny(left, Task.Delay(DisposeGrace)).ConfigureAwait(false);
    }

    private void Shutdown()
    {
        _endpoint.Dispose();
    }

    private void FailQueued(Func<Exception> error)
    {
        foreach (PendingChunk chunk in _dispatcher.TakeAllWaiting())
        {
            if (chunk.TryMarkSent())
            {
                chunk.Fail(error());
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_terminate.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _endpoint.AcceptAsync(_terminate.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = HandshakeAsync(socket);
        }
    }

    /// <summary>Admits a peer only if it proves the secret and claims a slot whose process we started; anyone else is dropped quietly.</summary>
    private async Task HandshakeAsync(Socket socket)
    {
        var channel = new FrameChannel(socket, MaxFrameLength);

        // A blocking read on a pool thread, not ReceiveAsync: the socket must stay a blocking one (see FrameChannel.Send).
        string? reason = await Task.Run(() => Admit(channel)).ConfigureAwait(false);
        if (reason is null)
        {
            return;
        }

        if (!_terminate.IsCancellationRequested)
        {
            Events.ConnectionRejected(reason);
        }

        channel.Dispose();
    }

    /// <summary>Reads the peer's hello and hands the channel to the slot it claims. Returns why it was refused, or <see langword="null"/>.</summary>
    private string? Admit(FrameChannel channel)
    {
        try
        {
            ReceivedFrame? received;

            // One deadline for the whole hello (a per-receive timeout would let a peer trickle a byte at a time): when it
            // passes, or the pool terminates, the channel is closed under the blocked read.
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(_terminate.Token))
            {
                deadline.CancelAfter(HandshakeTimeout);
                using (deadline.Token.UnsafeRegister(static state => ((FrameChannel)state!).Dispose(), channel))
                {
                    try
                    {
                        received = channel.Receive(ProtocolConstants.MaxHelloLength);
                    }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException && deadline.IsCancellationRequested && !_terminate.IsCancellationRequested)
                    {
                        return $"the peer sent no complete hello within {HandshakeTimeout.TotalSeconds:N0} s";
                    }
                }
            }

            using ReceivedFrame? frame = received;
            if (frame is not { Type: FrameType.Hello })
            {
                return frame is null ? "the peer closed the connection without a hello" : $"the peer's first frame was {frame.Type}, not Hello";
            }

            Hello hello = Hello.Read(frame.Body);
            if (!CryptographicOperations.FixedTimeEquals(hello.Secret, _endpoint.Secret))
            {
                return $"a peer claiming to be process {hello.ProcessId} did not prove the pool's secret";
            }

            // The pid in a hello is the peer's word; the kernel's (SO_PEERCRED) is not.
            if (Platform.PeerCredentials.ProcessId(channel.Socket) is { } kernelPid && kernelPid != hello.ProcessId)
            {
                return $"a peer claiming to be process {hello.ProcessId} is process {kernelPid}";
            }

            string notWaiting = $"process {hello.ProcessId} claimed slot {hello.WorkerIndex}, which is not waiting for that process";
            if ((uint)hello.WorkerIndex >= (uint)_slots.Length)
            {
                return notWaiting;
            }

            // The slot upgrades the channel with the rings it handed this process at launch, if the Hello says it mapped them.
            return _slots[hello.WorkerIndex].TryAttach(hello.ProcessId, hello.OnRings, channel) ? null : notWaiting;
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException or Serialization.WireFormatException)
        {
            return $"the peer's hello was malformed: {e.Message}";
        }
    }
}
