using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using ParallelGen.Execution;
using ParallelGen.Protocol;

namespace ParallelGen.Processes;

/// <summary>
/// One place in the pool and the worker process currently filling it: starts the process, waits for its
/// handshake, runs the initializer, feeds it chunks from the shared queue (at most <see cref="MaxInFlight"/> at
/// a time), reads its replies, passes cancellations on, enforces the task timeout, recycles it after
/// MaxTasksPerChild tasks, and when the process dies fails (or retries) only the chunks it held and starts a
/// replacement.
/// </summary>
internal sealed class WorkerSlot
{
    /// <summary>
    /// Chunks a worker holds at once. One: a second, prefetched chunk would queue behind a slow one while another
    /// worker sits idle, and would fail with it if the worker crashed. The cost is one local round trip (tens of µs)
    /// between chunks, small next to a default-sized chunk.
    /// </summary>
    public const int MaxInFlight = 1;

    private const int MaxConsecutiveStartFailures = 3;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A worker whose channel closed gets this long to exit on its own before it is killed.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly LocalProcessExecutor _executor;
    private readonly Lock _gate = new();
    private TaskCompletionSource<FrameChannel> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private int _processId;
    private Session? _session;
    private long _nextRequestId;
    private string? _lastStartFailure;
    private Exception? _lastStartError;

    public WorkerSlot(LocalProcessExecutor executor, int index)
    {
        _executor = executor;
        Index = index;
    }

    public int Index { get; }

    public int ProcessId => Volatile.Read(ref _processId);

    public Task Lifetime { get; private set; } = Task.CompletedTask;

    private PoolSettings Settings => _executor.Settings;

    private IPoolEvents Events => _executor.Events;

    public void Start() => Lifetime = Task.Run(RunAsync);

    /// <summary>Called by the endpoint when a peer proved the secret and claims this slot with <paramref name="processId"/>.</summary>
    public bool TryAttach(int processId, FrameChannel channel)
    {
        lock (_gate)
        {
            if (processId != _processId || _connected.Task.IsCompleted)
            {
                return false;
            }
        }

        return _connected.TrySetResult(channel);
    }

    public void Kill() => Kill(Volatile.Read(ref _process));

    /// <summary>A caller cancelled <paramref name="chunk"/> while this slot's worker runs it: pass it on, and kill the worker if it ignores it.</summary>
    public void CancelRunning(PendingChunk chunk) => _ = CancelRunningAsync(chunk);

    private static void Kill(Process? process)
    {
        try
        {
            process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private async Task RunAsync()
    {
        int consecutiveStartFailures = 0;
        while (!_executor.IsStopping)
        {
            bool connected = await RunOneProcessAsync().ConfigureAwait(false);
            consecutiveStartFailures = connected ? 0 : consecutiveStartFailures + 1;
            if (consecutiveStartFailures >= MaxConsecutiveStartFailures)
            {
                _executor.ReportBroken(this, _lastStartFailure ?? "worker processes keep failing to start", _lastStartError);
                return;
            }
        }
    }

    /// <summary>Runs one worker process from start to exit. Returns whether it connected and initialized.</summary>
    private async Task<bool> RunOneProcessAsync()
    {
        Process process;
        lock (_gate)
        {
            _connected = new TaskCompletionSource<FrameChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        try
        {
            process = _executor.Launcher.Start(Index);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            _lastStartFailure = $"could not start '{_executor.Launcher.Description}': {e.Message}";
            _lastStartError = null;
            await Task.Delay(200).ConfigureAwait(false);
            return false;
        }

        lock (_gate)
        {
            _process = process;
            _processId = process.Id;
        }

        Events.WorkerStarted(Index, process.Id);
        using (process)
        {
            Task exited = process.WaitForExitAsync();
            Task timeout = Task.Delay(ConnectTimeout, _executor.Stopping);
            Task first = await Task.WhenAny(_connected.Task, exited, timeout).ConfigureAwait(false);
            if (first != _connected.Task)
            {
                _connected.TrySetCanceled();
                Kill(process);
                await exited.ConfigureAwait(false);
                _lastStartError = null;
                _lastStartFailure = first == exited
                    ? $"worker process {process.Id} ('{_executor.Launcher.Description}') exited with {WorkerCrashedException.DescribeExit(process.ExitCode)} before connecting to the pool (see its output above)"
                    : $"worker process {process.Id} did not connect within {ConnectTimeout.TotalSeconds:N0} s";
                Events.WorkerExited(Index, process.Id, process.ExitCode, _executor.IsStopping ? WorkerExitReason.Terminated : WorkerExitReason.StartFailed, _lastStartFailure);
                return _executor.IsStopping;
            }

            FrameChannel channel = await _connected.Task.ConfigureAwait(false);
            using (channel)
            {
                var session = new Session(channel, process);
                if (Settings.Initializer is { } initializer && !await InitializeAsync(session, initializer, exited).ConfigureAwait(false))
                {
                    return _executor.IsStopping;
                }

                await ServeAsync(session, exited).ConfigureAwait(false);
            }

            return true;
        }
    }

    /// <summary>Runs the pool's initializer in a fresh worker. On failure, stops the worker and records why.</summary>
    private async Task<bool> InitializeAsync(Session session, WorkerInitializer initializer, Task exited)
    {
        Process process = session.Process;
        long requestId = Interlocked.Increment(ref _nextRequestId);
        string? failure = null;
        Exception? cause = null;
        try
        {
            await session.Channel.SendAsync(FrameType.Initialize, RunPrefix(requestId, initializer.Worker.Id, 1), initializer.Arguments, _executor.Stopping).ConfigureAwait(false);
            using ReceivedFrame? frame = await session.Channel.ReceiveAsync(_executor.Stopping, _executor.MaxFrameLength).ConfigureAwait(false);
            if (frame is null)
            {
                failure = "";
            }
            else if (frame.Type is not (FrameType.Result or FrameType.Fault) || frame.Length < 8 || BinaryPrimitives.ReadInt64LittleEndian(frame.Body) != requestId)
            {
                failure = $"worker process {process.Id} answered its initializer with an unexpected {frame.Type} frame";
            }
            else if (InitializerReply.ReadFailure(frame.Body[8..], frame.Type == FrameType.Fault) is { } error)
            {
                cause = WorkerException.FromRemote(error, initializer.Worker.Name, itemIndex: null, process.Id);
                failure = $"the initializer {initializer.Worker.Name} threw {error.TypeName} in worker process {process.Id}: {error.Message}";
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or InvalidDataException or Serialization.WireFormatException)
        {
            failure = e is OperationCanceledException ? "the pool stopped while the initializer ran" : "";
        }

        if (failure is null)
        {
            return true;
        }

        Kill(process);
        await exited.ConfigureAwait(false);
        if (failure.Length == 0)
        {
            failure = $"worker process {process.Id} died with {WorkerCrashedException.DescribeExit(process.ExitCode)} while running the initializer {initializer.Worker.Name}";
        }

        _lastStartFailure = failure;
        _lastStartError = cause;
        Events.WorkerExited(Index, process.Id, process.ExitCode, _executor.IsStopping ? WorkerExitReason.Terminated : WorkerExitReason.StartFailed, failure);
        return false;
    }

    private async Task ServeAsync(Session session, Task exited)
    {
        Process process = session.Process;
        lock (_gate)
        {
            _session = session;
        }

        using CancellationTokenRegistration stopping = _executor.Stopping.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), session.Stop);
        var credits = new SemaphoreSlim(MaxInFlight, MaxInFlight);
        Task sending = SendLoopAsync(session, credits);
        Task watching = Settings.TaskTimeout is { } timeout ? WatchDeadlinesAsync(session, timeout) : Task.CompletedTask;
        bool saidGoodbye = false;
        Exception? failure = null;
        try
        {
            saidGoodbye = await ReceiveLoopAsync(session, credits).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
            failure = e;
        }

        await session.Stop.CancelAsync().ConfigureAwait(false);
        foreach (Task helper in new[] { sending, watching })
        {
            try
            {
                await helper.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
            }
        }

        if (failure is not null)
        {
            // A worker that broke the protocol (or whose channel failed) can't be trusted to leave on its own.
            Kill(process);
        }

        // The channel is gone; the process follows (it exits when its channel closes). Give it a moment, then make sure.
        if (await Task.WhenAny(exited, Task.Delay(ExitWait)).ConfigureAwait(false) != exited)
        {
            Kill(process);
            await exited.ConfigureAwait(false);
        }

        int exitCode = process.ExitCode;
        List<PendingChunk> orphans;
        WorkerExitReason reason;
        lock (_gate)
        {
            session.Dead = true;
            _session = null;
            orphans = [.. session.InFlight.Values];
            session.InFlight.Clear();
            reason = session.KillReason
                ?? (_executor.Stopping.IsCancellationRequested ? WorkerExitReason.Terminated
                : failure is InvalidDataException ? WorkerExitReason.ProtocolError
                : saidGoodbye ? (session.Recycling ? WorkerExitReason.Recycled : WorkerExitReason.Drained)
                : WorkerExitReason.Crashed);
        }

        Events.WorkerExited(Index, process.Id, exitCode, reason, failure?.Message);
        foreach (PendingChunk chunk in orphans)
        {
            if (_executor.Stopping.IsCancellationRequested)
            {
                chunk.Fail(new OperationCanceledException("The pool was terminated while this chunk was running."));
            }
            else if (chunk.CancellationRequested)
            {
                // Its caller has gone already; completing it only releases the argument buffer.
                chunk.Cancel();
            }
            else
            {
                FailOrRetry(chunk, process.Id, exitCode, reason, failure);
            }
        }
    }

    private void FailOrRetry(PendingChunk chunk, int processId, int exitCode, WorkerExitReason reason, Exception? failure)
    {
        string how = reason switch
        {
            WorkerExitReason.ProtocolError => $"broke the protocol ({failure!.Message}) and was stopped",
            WorkerExitReason.TimedOut => "was killed because another of its tasks overran TaskTimeout",
            WorkerExitReason.IgnoredCancellation => "was killed because it ignored a cancellation",
            _ => $"died with {WorkerCrashedException.DescribeExit(exitCode)}",
        };
        var crash = new WorkerCrashedException(processId, exitCode, Index, chunk.Request.Worker.Name, chunk.Request.ItemCount, how, chunk.EarlierCrash);
        if (Settings.RetryCrashedItems && chunk.EarlierCrash is null && reason == WorkerExitReason.Crashed)
        {
            chunk.EarlierCrash = crash;
            chunk.Unsend();
            Events.ChunkRetried(Index, processId, chunk.Request.Worker.Name, chunk.Request.ItemCount);
            _executor.Requeue(chunk);
            return;
        }

        chunk.Fail(crash);
    }

    private async Task SendLoopAsync(Session session, SemaphoreSlim credits)
    {
        CancellationToken cancellationToken = session.Stop.Token;
        while (true)
        {
            await credits.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Settings.MaxTasksPerChild is int max && session.TasksSent >= max)
            {
                // Recycle: once the last replies are in, ask the worker to leave; it says goodbye, so this is not a crash.
                await WaitForIdleAsync(credits, cancellationToken).ConfigureAwait(false);
                session.Recycling = true;
                await SendFrameAsync(session, FrameType.Shutdown, default, default).ConfigureAwait(false);
                return;
            }

            if (!await _executor.Queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Draining: the queue is complete and empty. Once our last replies are in, ask the worker to leave.
                await WaitForIdleAsync(credits, cancellationToken).ConfigureAwait(false);
                await SendFrameAsync(session, FrameType.Shutdown, default, default).ConfigureAwait(false);
                return;
            }

            if (!_executor.Queue.TryRead(out PendingChunk? chunk))
            {
                credits.Release();
                continue;
            }

            if (!chunk.TryMarkSent())
            {
                credits.Release();
                continue;
            }

            long requestId;
            lock (_gate)
            {
                if (session.Dead || session.KillReason is not null)
                {
                    chunk.Unsend();
                    _executor.Requeue(chunk);
                    return;
                }

                requestId = Interlocked.Increment(ref _nextRequestId);
                session.InFlight.Add(requestId, chunk);
                session.TasksSent++;
            }

            chunk.SentAt = Stopwatch.GetTimestamp();
            if (chunk.Request.TraceParent is { Length: > 0 and <= byte.MaxValue } traceParent && System.Text.Ascii.IsValid(traceParent))
            {
                await SendFrameAsync(session, FrameType.RunTraced, TracedRunPrefix(requestId, chunk.Request.Worker.Id, chunk.Request.ItemCount, traceParent), chunk.Request.Arguments).ConfigureAwait(false);
            }
            else
            {
                await SendFrameAsync(session, FrameType.Run, RunPrefix(requestId, chunk.Request.Worker.Id, chunk.Request.ItemCount), chunk.Request.Arguments).ConfigureAwait(false);
            }

            // After the Run frame, so the worker knows the request a Cancel names.
            chunk.MarkRunning(this, requestId);
        }
    }

    private static byte[] RunPrefix(long requestId, ulong workerId, int itemCount)
    {
        byte[] prefix = new byte[20];
        BinaryPrimitives.WriteInt64LittleEndian(prefix, requestId);
        BinaryPrimitives.WriteUInt64LittleEndian(prefix.AsSpan(8), workerId);
        BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(16), itemCount);
        return prefix;
    }

    private static byte[] TracedRunPrefix(long requestId, ulong workerId, int itemCount, string traceParent)
    {
        byte[] prefix = new byte[21 + traceParent.Length];
        BinaryPrimitives.WriteInt64LittleEndian(prefix, requestId);
        BinaryPrimitives.WriteUInt64LittleEndian(prefix.AsSpan(8), workerId);
        BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(16), itemCount);
        prefix[20] = (byte)traceParent.Length;
        System.Text.Encoding.ASCII.GetBytes(traceParent, prefix.AsSpan(21));
        return prefix;
    }

    /// <summary>Frames from the send loop and from cancellations share the channel: one writer at a time.</summary>
    private static async Task SendFrameAsync(Session session, FrameType type, ReadOnlyMemory<byte> prefix, ReadOnlyMemory<byte> payload)
    {
        CancellationToken cancellationToken = session.Stop.Token;
        await session.SendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await session.Channel.SendAsync(type, prefix, payload, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            session.SendGate.Release();
        }
    }

    private static async Task WaitForIdleAsync(SemaphoreSlim credits, CancellationToken cancellationToken)
    {
        // We hold one credit; the others come back as replies arrive.
        for (int i = 1; i < MaxInFlight; i++)
        {
            await credits.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads replies until the channel ends. Returns whether the worker said goodbye (a clean exit, not a crash).</summary>
    private async Task<bool> ReceiveLoopAsync(Session session, SemaphoreSlim credits)
    {
        bool saidGoodbye = false;
        while (await session.Channel.ReceiveAsync(CancellationToken.None, _executor.MaxFrameLength).ConfigureAwait(false) is { } frame)
        {
            switch (frame.Type)
            {
                case FrameType.Result:
                case FrameType.Fault:
                    long requestId = ReadRequestId(frame);
                    PendingChunk? chunk;
                    bool killing;
                    lock (_gate)
                    {
                        session.InFlight.Remove(requestId, out chunk);
                        killing = session.KillReason is not null;
                    }

                    if (chunk is null)
                    {
                        frame.Dispose();
                        if (killing)
                        {
                            // A late reply for a chunk already failed by the parent's own deadline: the worker is being killed.
                            break;
                        }

                        throw new InvalidDataException($"A reply names request {requestId}, which this worker was not running.");
                    }

                    chunk.Complete(new ChunkReply(frame.DetachBuffer(), 8, frame.Length - 8, frame.Type == FrameType.Fault, session.ProcessId, pooled: true));
                    credits.Release();
                    break;
                case FrameType.TimedOut:
                    OnTimedOut(session, frame);
                    break;
                case FrameType.Goodbye:
                    frame.Dispose();
                    saidGoodbye = true;
                    break;
                default:
                    frame.Dispose();
                    throw new InvalidDataException($"Unexpected {frame.Type} frame from a worker.");
            }
        }

        return saidGoodbye;
    }

    private static long ReadRequestId(ReceivedFrame frame)
    {
        if (frame.Length < 8)
        {
            frame.Dispose();
            throw new InvalidDataException($"A {frame.Type} frame of {frame.Length} bytes is too short to hold its request id.");
        }

        return BinaryPrimitives.ReadInt64LittleEndian(frame.Body);
    }

    /// <summary>The worker reports that an item overran TaskTimeout: fail its chunk, kill the worker (a replacement follows).</summary>
    private void OnTimedOut(Session session, ReceivedFrame frame)
    {
        using (frame)
        {
            if (frame.Length != 20)
            {
                throw new InvalidDataException($"A TimedOut frame has {frame.Length} bytes instead of 20.");
            }

            long requestId = BinaryPrimitives.ReadInt64LittleEndian(frame.Body);
            int item = BinaryPrimitives.ReadInt32LittleEndian(frame.Body[8..]);
            long elapsedMs = BinaryPrimitives.ReadInt64LittleEndian(frame.Body[12..]);
            PendingChunk? chunk;
            lock (_gate)
            {
                session.InFlight.Remove(requestId, out chunk);
                session.KillReason ??= WorkerExitReason.TimedOut;
            }

            if (chunk is null || (uint)item >= (uint)chunk.Request.ItemCount || elapsedMs is < 0 or > 1L << 40)
            {
                throw new InvalidDataException($"A TimedOut frame names item {item} of request {requestId}, which this worker was not running.");
            }

            TimeOut(session, chunk, item, TimeSpan.FromMilliseconds(elapsedMs));
        }
    }

    private void TimeOut(Session session, PendingChunk chunk, int? item, TimeSpan elapsed)
    {
        Events.TaskTimedOut(Index, session.ProcessId, chunk.Request.Worker.Name, item, elapsed);
        Kill(session.Process);
        chunk.Fail(new TaskTimeoutException(chunk.Request.Worker.Name, item, chunk.Request.ItemCount, elapsed, Settings.TaskTimeout!.Value, session.ProcessId, Index));
    }

    /// <summary>The parent's backstop for TaskTimeout: a chunk far past its items' combined limit means the worker can't report; kill it.</summary>
    private async Task WatchDeadlinesAsync(Session session, TimeSpan timeout)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await ticks.WaitForNextTickAsync(session.Stop.Token).ConfigureAwait(false))
        {
            PendingChunk? late = null;
            lock (_gate)
            {
                foreach (PendingChunk chunk in session.InFlight.Values)
                {
                    // The worker reports an overrun itself (it knows which item runs); this catches a worker too frozen to report.
                    double limit = (timeout.TotalSeconds * chunk.Request.ItemCount) + Settings.TimeoutBackstopSlack.TotalSeconds;
                    if (chunk.SentAt != 0 && Stopwatch.GetElapsedTime(chunk.SentAt).TotalSeconds > limit)
                    {
                        late = chunk;
                        session.InFlight.Remove(chunk.RequestId);
                        session.KillReason ??= WorkerExitReason.TimedOut;
                        break;
                    }
                }
            }

            if (late is not null)
            {
                TimeOut(session, late, item: null, Stopwatch.GetElapsedTime(late.SentAt));
                return;
            }
        }
    }

    private async Task CancelRunningAsync(PendingChunk chunk)
    {
        long requestId = chunk.RequestId;
        Session? session;
        lock (_gate)
        {
            session = _session;
            if (session is null || session.Dead || !session.InFlight.TryGetValue(requestId, out PendingChunk? held) || held != chunk)
            {
                return;
            }
        }

        byte[] body = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(body, requestId);
        try
        {
            await SendFrameAsync(session, FrameType.Cancel, body, default).ConfigureAwait(false);
            Events.CancellationSent(Index, session.ProcessId, chunk.Request.Worker.Name);
            TimeSpan grace = Settings.CancellationGracePeriod;
            if (grace == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            await Task.Delay(grace, session.Stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            return;
        }

        lock (_gate)
        {
            if (session.Dead || session.KillReason is not null || !session.InFlight.TryGetValue(requestId, out PendingChunk? held) || held != chunk)
            {
                return;
            }

            session.KillReason = WorkerExitReason.IgnoredCancellation;
        }

        // The worker ignored the cancellation: a process can be killed where a thread can't.
        Kill(session.Process);
    }

    /// <summary>One connected worker process, from handshake to exit. Mutable fields are guarded by the slot's gate.</summary>
    private sealed class Session(FrameChannel channel, Process process)
    {
        public FrameChannel Channel { get; } = channel;

        public Process Process { get; } = process;

        /// <summary>Kept apart from <see cref="Process"/>, which is disposed when the session ends while late callbacks may still ask.</summary>
        public int ProcessId { get; } = process.Id;

        public SemaphoreSlim SendGate { get; } = new(1, 1);

        /// <summary>Cancelled when the session ends (or the pool stops): ends the send loop, the deadline watch, pending grace periods.</summary>
        public CancellationTokenSource Stop { get; } = new();

        public Dictionary<long, PendingChunk> InFlight { get; } = [];

        public bool Dead { get; set; }

        /// <summary>Set when the pool decided to kill this worker (timeout, ignored cancellation); its exit is then not a crash.</summary>
        public WorkerExitReason? KillReason { get; set; }

        public int TasksSent { get; set; }

        public bool Recycling { get; set; }
    }
}
