using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using ParallelGen.Execution;
using ParallelGen.Protocol;

namespace ParallelGen.Processes;

/// <summary>
/// One place in the pool and the worker process currently filling it: starts the process, waits for its
/// handshake, runs the initializer, takes chunks from the <see cref="ChunkDispatcher"/> (one at a time, or up to
/// <see cref="PoolSettings.PipelineDepth"/> small ones while they run fast), reads its replies, takes back queued chunks for an idle worker, passes cancellations on, enforces the task timeout, recycles it after
/// MaxTasksPerChild tasks, and when the process dies fails (or retries) only the chunks it held and starts a
/// replacement.
/// </summary>
internal sealed class WorkerSlot
{
    /// <summary>
    /// With <see cref="PoolSettings.PipelineDepth"/> above one, a worker whose last chunk took less than this may hold
    /// several small chunks at once: it starts the next without waiting a round trip (tens of µs) for it. A chunk queued
    /// behind one that turns out slow is not stuck: when another worker goes idle, the parent sends a Reclaim and the
    /// worker gives back what it has not started. A chunk's run is measured from its send, or from the reply before it
    /// if it waited queued behind that one, to its reply.
    /// </summary>
    private static readonly long FastChunkTime = Stopwatch.Frequency / 1000;

    /// <summary>Arguments up to this size may queue at a worker; larger chunks go one at a time.</summary>
    private const int MaxPipelinedArgumentBytes = 16 * 1024;

    private const int MaxConsecutiveStartFailures = 3;

    /// <summary>Request id, worker id and item count before a Run frame's arguments.</summary>
    private const int RunPrefixLength = 20;
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
    public void CancelRunning(PendingChunk chunk) => _ = Task.Run(() => CancelRunningAsync(chunk));

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

        long launchedAt = Stopwatch.GetTimestamp();
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
        Insights.WorkerTally tally = _executor.Insights.Started(Index, process.Id, launchedAt);
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
                tally.Exit();
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
                var session = new Session(this, channel, process) { Tally = tally };
                if (Settings.Initializer is { } initializer && !await InitializeAsync(session, initializer, exited).ConfigureAwait(false))
                {
                    tally.Exit();
                    return _executor.IsStopping;
                }

                tally.Ready();
                await ServeAsync(session, exited).ConfigureAwait(false);
                tally.Exit();
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
            // Blocking calls on a pool thread keep the socket a blocking one (see FrameChannel.Send); a terminating pool kills the process, which ends the read.
            using ReceivedFrame? frame = await Task.Run(() =>
            {
                SendFrame(session, FrameType.Initialize, RunPrefix(requestId, initializer.Worker.Id, 1), initializer.Arguments.Span);
                return session.Channel.Receive();
            }).ConfigureAwait(false);
            if (frame is null)
            {
                failure = "";
            }
            else if (frame.Type is not (FrameType.Result or FrameType.Fault) || frame.Length < 8 + ChunkStats.Length || BinaryPrimitives.ReadInt64LittleEndian(frame.Body) != requestId)
            {
                failure = $"worker process {process.Id} answered its initializer with an unexpected {frame.Type} frame";
            }
            else if (InitializerReply.ReadFailure(frame.Body[(8 + ChunkStats.Length)..], frame.Type == FrameType.Fault) is { } error)
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
        Task watching = Settings.TaskTimeout is { } timeout ? WatchDeadlinesAsync(session, timeout) : Task.CompletedTask;
        Ready(session);
        bool saidGoodbye = false;
        Exception? failure = null;
        try
        {
            saidGoodbye = await ReceiveOnOwnThread(session).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
            failure = e;
        }

        // No new chunk goes to this worker; one sent meanwhile is in InFlight and handled with the others below.
        _executor.Dispatcher.Remove(session);
        await session.Stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await watching.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
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
        List<PendingChunk> unstarted = [];
        WorkerExitReason reason;
        lock (_gate)
        {
            session.Dead = true;
            _session = null;

            // A worker runs what it holds in the order it was sent (request ids ascend): only the oldest can have started,
            // and none has when the parent already failed the running one (a timeout). The rest never ran; they go round again.
            orphans = [.. session.InFlight.OrderBy(pair => pair.Key).Select(pair => pair.Value)];
            session.InFlight.Clear();
            int started = session.KillReason == WorkerExitReason.TimedOut ? 0 : Math.Min(1, orphans.Count);
            unstarted.AddRange(orphans.Skip(started));
            orphans.RemoveRange(started, orphans.Count - started);
            reason = session.KillReason
                ?? (_executor.Stopping.IsCancellationRequested ? WorkerExitReason.Terminated
                : failure is InvalidDataException ? WorkerExitReason.ProtocolError
                : saidGoodbye ? (session.Recycling ? (session.OverMemory ? WorkerExitReason.OverMemory : WorkerExitReason.Recycled) : WorkerExitReason.Drained)
                : WorkerExitReason.Crashed);
        }

        Events.WorkerExited(Index, process.Id, exitCode, reason, failure?.Message);
        foreach (PendingChunk chunk in unstarted)
        {
            if (_executor.Stopping.IsCancellationRequested)
            {
                chunk.Fail(new OperationCanceledException("The pool was terminated before this chunk ran."));
            }
            else
            {
                GiveBack(chunk);
            }
        }

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

    /// <summary>Sends <paramref name="chunk"/> to <paramref name="session"/>, which the dispatcher found idle; if the chunk was cancelled meanwhile, the worker takes the next one.</summary>
    public void Run(Session session, PendingChunk chunk)
    {
        if (!Send(session, chunk))
        {
            Ready(session);
        }
    }

    /// <summary>Asks an idle worker to leave (the pool is draining).</summary>
    public static void Leave(Session session) => LeaveNow(session);

    /// <summary>
    /// <paramref name="session"/> has nothing in flight: send it the next waiting chunk, ask it to leave (recycling or
    /// draining), or park it with the dispatcher until a chunk comes.
    /// </summary>
    private void Ready(Session session)
    {
        while (session.KillReason is null)
        {
            int inFlight;
            bool mayPipeline;
            lock (_gate)
            {
                if (session.Dead || _session != session)
                {
                    return;
                }

                inFlight = session.InFlight.Count;
                mayPipeline = Settings.PipelineDepth > 1 && session.Fast && inFlight < Settings.PipelineDepth && AllSmall(session);
            }

            if ((Settings.MaxTasksPerChild is int max && session.TasksSent >= max) || session.OverMemory)
            {
                if (inFlight == 0)
                {
                    // Recycle (MaxTasksPerChild, or the worker said it is over MaxMemoryPerChild): its last reply is in, so ask the
                    // worker to leave; it says goodbye, so this is not a crash.
                    session.Recycling = true;
                    Leave(session);
                }

                // Otherwise: no more than its remaining budget; it leaves once the last reply is in.
                return;
            }

            PendingChunk? chunk;
            if (inFlight > 0)
            {
                // Busy: top it up with a small chunk, if it runs them fast and one waits; never park a busy worker.
                chunk = mayPipeline ? _executor.Dispatcher.TryTakeSmall(MaxPipelinedArgumentBytes) : null;
                if (chunk is null)
                {
                    return;
                }
            }
            else
            {
                chunk = _executor.Dispatcher.TakeOrPark(session, out bool closed);
                if (chunk is null)
                {
                    if (closed)
                    {
                        // Draining, and nothing is left: ask the worker to leave.
                        Leave(session);
                    }
                    else if (Settings.PipelineDepth > 1)
                    {
                        // Parked: if another worker holds chunks it has not started, have them handed over.
                        _executor.Steal(this);
                    }

                    return;
                }
            }

            Send(session, chunk);
        }
    }

    /// <summary>Whether everything <paramref name="session"/> holds is small enough to have others queued behind it. Under the gate.</summary>
    private static bool AllSmall(Session session)
    {
        foreach (PendingChunk held in session.InFlight.Values)
        {
            if (!ChunkDispatcher.IsSmall(held, MaxPipelinedArgumentBytes))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Another worker went idle: if this one holds chunks it has not started, ask for them back (a Reclaim; the worker
    /// answers with Returned, and the chunks go to the idle worker). At most one Reclaim outstanding per worker.
    /// </summary>
    public void Reclaim()
    {
        Session? session;
        lock (_gate)
        {
            session = _session;
            if (session is null || session.Dead || session.KillReason is not null || session.Reclaiming || session.InFlight.Count < 2)
            {
                return;
            }

            session.Reclaiming = true;
        }

        try
        {
            SendFrame(session, FrameType.Reclaim, default, default);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The session is ending: its chunks are handled with its exit.
        }
    }

    /// <summary>
    /// Sends a chunk's Run frame. Returns <see langword="false"/> when the chunk was cancelled before it could be claimed (the
    /// worker is still free); <see langword="true"/> when it was sent, or put back because the worker is going away.
    /// </summary>
    private bool Send(Session session, PendingChunk chunk)
    {
        if (!chunk.TryMarkSent())
        {
            return false;
        }

        long requestId = 0;
        bool gone;
        lock (_gate)
        {
            gone = session.Dead || session.KillReason is not null || _session != session;
            if (!gone)
            {
                requestId = Interlocked.Increment(ref _nextRequestId);
                session.InFlight.Add(requestId, chunk);
                session.TasksSent++;
            }
        }

        if (gone)
        {
            // Outside the gate: requeueing may send the chunk to another worker straight away.
            chunk.Unsend();
            _executor.Requeue(chunk);
            return true;
        }

        chunk.SentAt = Stopwatch.GetTimestamp();
        ChunkRequest request = chunk.Request;
        bool traced = request.TraceParent is { Length: > 0 and <= byte.MaxValue } traceParent && System.Text.Ascii.IsValid(traceParent);
        byte[]? tracedPrefix = traced ? TracedRunPrefix(requestId, request.Worker.Id, request.ItemCount, request.TraceParent!) : null;
        FrameType type = traced ? FrameType.RunTraced : FrameType.Run;
        int prefixLength = tracedPrefix?.Length ?? RunPrefixLength;
        if (request.Arguments.Length > FrameChannel.CoalesceLimit - ProtocolConstants.HeaderLength - prefixLength)
        {
            // Large: the socket takes it in pieces as the worker reads; don't hold the caller's (or the reply reader's) thread for that.
            byte[] prefix = tracedPrefix ?? RunPrefix(requestId, request.Worker.Id, request.ItemCount);
            _ = Task.Run(() => SendRun(session, chunk, requestId, type, prefix));
            return true;
        }

        // Small: one send that an idle worker's socket buffer takes at once, straight from this thread.
        Span<byte> runPrefix = stackalloc byte[RunPrefixLength];
        WriteRunPrefix(runPrefix, requestId, request.Worker.Id, request.ItemCount);
        SendRun(session, chunk, requestId, type, tracedPrefix ?? runPrefix);
        return true;
    }

    private void SendRun(Session session, PendingChunk chunk, long requestId, FrameType type, ReadOnlySpan<byte> prefix)
    {
        try
        {
            SendFrame(session, type, prefix, chunk.Request.Arguments.Span);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The session is ending (the chunk is in InFlight, so it is failed or retried with the others), or the
            // channel broke part-way through a frame: a worker in that state can't be trusted to carry on.
            OnSendFailed(session, e);
            return;
        }

        // After the Run frame, so the worker knows the request a Cancel names.
        chunk.MarkRunning(this, requestId);
    }

    private static void OnSendFailed(Session session, Exception e)
    {
        if (e is SocketException or IOException)
        {
            Kill(session.Process);
        }
    }

    private static void LeaveNow(Session session)
    {
        try
        {
            SendFrame(session, FrameType.Shutdown, default, default);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The worker is going anyway.
        }
    }

    private static byte[] RunPrefix(long requestId, ulong workerId, int itemCount)
    {
        byte[] prefix = new byte[RunPrefixLength];
        WriteRunPrefix(prefix, requestId, workerId, itemCount);
        return prefix;
    }

    private static void WriteRunPrefix(Span<byte> prefix, long requestId, ulong workerId, int itemCount)
    {
        BinaryPrimitives.WriteInt64LittleEndian(prefix, requestId);
        BinaryPrimitives.WriteUInt64LittleEndian(prefix[8..], workerId);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[16..], itemCount);
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

    /// <summary>
    /// Frames from callers, the reply reader and cancellations share the channel: one writer at a time. Blocking sends only:
    /// the socket stays a blocking one, so the reply reader's thread is woken by the kernel directly (see FrameChannel.Send).
    /// </summary>
    private static void SendFrame(Session session, FrameType type, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> payload)
    {
        session.SendGate.Wait(session.Stop.Token);
        try
        {
            session.Channel.Send(type, prefix, payload);
        }
        finally
        {
            session.SendGate.Release();
        }
    }

    /// <summary>Reads replies on a thread of the session's own with blocking reads: a reply wakes it straight from the socket, not via epoll and a pool thread.</summary>
    private Task<bool> ReceiveOnOwnThread(Session session)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(ReceiveLoop(session));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"Parallel.Gen worker {Index} replies",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Reads replies until the channel ends. Returns whether the worker said goodbye (a clean exit, not a crash).</summary>
    private bool ReceiveLoop(Session session)
    {
        bool saidGoodbye = false;
        while (session.Channel.Receive() is { } frame)
        {
            switch (frame.Type)
            {
                case FrameType.Result:
                case FrameType.Fault:
                    long requestId = ReadRequestId(frame);
                    ChunkStats stats = ReadStats(frame);
                    PendingChunk? chunk;
                    bool killing;
                    long busy = 0;
                    bool overMemory = false;
                    long now = Stopwatch.GetTimestamp();
                    lock (_gate)
                    {
                        session.InFlight.Remove(requestId, out chunk);
                        killing = session.KillReason is not null;
                        if (chunk is not null)
                        {
                            // Its run: from its send, or from the reply before if it waited queued behind that one.
                            busy = now - Math.Max(chunk.SentAt, session.LastReplyAt);
                            session.Fast = busy < FastChunkTime;
                            session.LastReplyAt = now;

                            // Before Ready below, so the worker gets no more work once it says it is over its memory limit.
                            overMemory = stats.OverMemoryBytes > 0 && !session.OverMemory;
                            session.OverMemory |= overMemory;
                        }
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

                    if (overMemory)
                    {
                        Events.WorkerOverMemory(Index, session.ProcessId, stats.OverMemoryBytes, Settings.MaxMemoryPerChild ?? 0);
                    }

                    Record(session, chunk, stats, busy, frame.Type == FrameType.Fault);
                    const int bodyAt = 8 + ChunkStats.Length;
                    var reply = new ChunkReply(frame.DetachBuffer(), bodyAt, frame.Length - bodyAt, frame.Type == FrameType.Fault, session.ProcessId, pooled: true);

                    // The next chunk first, so the worker is busy again while the caller wakes up.
                    Ready(session);
                    chunk.Complete(reply);
                    break;
                case FrameType.TimedOut:
                    OnTimedOut(session, frame);
                    break;
                case FrameType.Returned:
                    OnReturned(session, frame);
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

    private static ChunkStats ReadStats(ReceivedFrame frame)
    {
        try
        {
            return ChunkStats.Read(frame.Body[8..]);
        }
        catch (InvalidDataException)
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>Adds a chunk's reply to the pool's insights: the worker's tally, and its slowest item to the pool's slowest.</summary>
    private void Record(Session session, PendingChunk chunk, ChunkStats stats, long busyStopwatchTicks, bool fault)
    {
        ChunkRequest request = chunk.Request;
        session.Tally?.Chunk(request.ItemCount, stats.WorkTicks, stats.SerializationTicks, busyStopwatchTicks);
        if (!fault && request.ItemCount > 0 && stats.SlowestItem < request.ItemCount)
        {
            _executor.Insights.Item(request.FirstItemIndex + stats.SlowestItem, stats.SlowestTicks, request.Worker.Name, session.ProcessId, Index);
        }
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

    /// <summary>
    /// The worker gave back chunks it had not started (answering a Reclaim, or a Cancel of a queued chunk): cancelled ones
    /// end here, the others go to an idle worker or the head of the queue.
    /// </summary>
    private void OnReturned(Session session, ReceivedFrame frame)
    {
        var returned = new List<PendingChunk>();
        int inFlight;
        using (frame)
        {
            int count = frame.Length >= 5 ? BinaryPrimitives.ReadInt32LittleEndian(frame.Body[1..]) : -1;
            if (count < 0 || frame.Length != 5 + (8L * count))
            {
                throw new InvalidDataException($"A Returned frame of {frame.Length} bytes does not hold the request ids it claims.");
            }

            lock (_gate)
            {
                if (frame.Body[0] == 0)
                {
                    session.Reclaiming = false;
                }

                for (int i = 0; i < count; i++)
                {
                    long requestId = BinaryPrimitives.ReadInt64LittleEndian(frame.Body[(5 + (8 * i))..]);
                    if (!session.InFlight.Remove(requestId, out PendingChunk? chunk))
                    {
                        if (session.KillReason is not null)
                        {
                            // The parent already failed it by its own deadline: the worker is being killed.
                            continue;
                        }

                        throw new InvalidDataException($"A Returned frame names request {requestId}, which this worker was not holding.");
                    }

                    session.TasksSent--;
                    returned.Add(chunk);
                }

                inFlight = session.InFlight.Count;
            }

            Events.ChunksReturned(Index, session.ProcessId, returned.Count, cancelled: frame.Body[0] != 0);
        }

        foreach (PendingChunk chunk in returned)
        {
            GiveBack(chunk);
        }

        if (inFlight == 0)
        {
            // Everything it held was given back (a cancelled queue): it is free again.
            Ready(session);
        }
    }

    /// <summary>A chunk a worker held but never started: ends it if its caller cancelled, else hands it to another worker.</summary>
    private void GiveBack(PendingChunk chunk)
    {
        if (chunk.CancellationRequested)
        {
            chunk.Cancel();
            return;
        }

        chunk.Unsend();
        if (_executor.Dispatcher.Return(chunk) is { } idle)
        {
            idle.Slot.Run(idle, chunk);
        }
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
        string? stacks = CaptureStacks(session, WorkerExitReason.TimedOut);
        Kill(session.Process);
        chunk.Fail(new TaskTimeoutException(chunk.Request.Worker.Name, item, chunk.Request.ItemCount, elapsed, Settings.TaskTimeout!.Value, session.ProcessId, Index) { WorkerStacks = stacks });
    }

    /// <summary>CaptureStacksOnTimeout: the stacks of a worker about to be killed, logged and returned (null when off or impossible).</summary>
    private string? CaptureStacks(Session session, WorkerExitReason reason)
    {
        if (!Settings.CaptureStacksOnTimeout)
        {
            return null;
        }

        string? stacks = StackSnapshot.TryCapture(session.ProcessId, out string? failure);
        Events.StacksCaptured(Index, session.ProcessId, reason, stacks, failure);
        return stacks;
    }

    /// <summary>The parent's backstop for TaskTimeout: a chunk far past its items' combined limit means the worker can't report; kill it.</summary>
    private async Task WatchDeadlinesAsync(Session session, TimeSpan timeout)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await ticks.WaitForNextTickAsync(session.Stop.Token).ConfigureAwait(false))
        {
            PendingChunk? late = null;
            long startedAt = 0;
            lock (_gate)
            {
                // Only the oldest chunk held can be running (the others queue behind it at the worker); it started when it
                // was sent or when the reply before it came, whichever was later.
                long oldest = session.InFlight.Count == 0 ? 0 : session.InFlight.Keys.Min();
                if (oldest != 0 && session.InFlight[oldest] is { SentAt: not 0 } chunk)
                {
                    // The worker reports an overrun itself (it knows which item runs); this catches a worker too frozen to report.
                    double limit = (timeout.TotalSeconds * chunk.Request.ItemCount) + Settings.TimeoutBackstopSlack.TotalSeconds;
                    startedAt = Math.Max(chunk.SentAt, session.LastReplyAt);
                    if (Stopwatch.GetElapsedTime(startedAt).TotalSeconds > limit)
                    {
                        late = chunk;
                        session.InFlight.Remove(oldest);
                        session.KillReason ??= WorkerExitReason.TimedOut;
                    }
                }
            }

            if (late is not null)
            {
                TimeOut(session, late, item: null, Stopwatch.GetElapsedTime(startedAt));
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
            SendFrame(session, FrameType.Cancel, body, default);
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

        // The worker ignored the cancellation: a process can be killed where a thread can't. Its caller has gone, so its stacks only go to the log.
        _ = CaptureStacks(session, WorkerExitReason.IgnoredCancellation);
        Kill(session.Process);
    }

    /// <summary>One connected worker process, from handshake to exit. Mutable fields are guarded by the slot's gate.</summary>
    internal sealed class Session(WorkerSlot slot, FrameChannel channel, Process process)
    {
        public WorkerSlot Slot { get; } = slot;

        public FrameChannel Channel { get; } = channel;

        public Process Process { get; } = process;

        /// <summary>Kept apart from <see cref="Process"/>, which is disposed when the session ends while late callbacks may still ask.</summary>
        public int ProcessId { get; } = process.Id;

        public SemaphoreSlim SendGate { get; } = new(1, 1);

        /// <summary>Cancelled when the session ends (or the pool stops): ends blocked sends, the deadline watch, pending grace periods.</summary>
        public CancellationTokenSource Stop { get; } = new();

        public Dictionary<long, PendingChunk> InFlight { get; } = [];

        public bool Dead { get; set; }

        /// <summary>Set when the pool decided to kill this worker (timeout, ignored cancellation); its exit is then not a crash.</summary>
        public WorkerExitReason? KillReason { get; set; }

        public int TasksSent { get; set; }

        /// <summary>Its last chunk ran in under <see cref="FastChunkTime"/>: it may hold several small chunks at once.</summary>
        public bool Fast { get; set; }

        /// <summary>When its last reply came (<see cref="Stopwatch"/> ticks): the earliest a chunk queued behind that one can have started.</summary>
        public long LastReplyAt { get; set; }

        /// <summary>A Reclaim was sent and its Returned answer has not come yet.</summary>
        public bool Reclaiming { get; set; }

        public bool Recycling { get; set; }

        /// <summary>The worker said its resident set is over MaxMemoryPerChild: it leaves once it holds nothing.</summary>
        public bool OverMemory { get; set; }

        /// <summary>Its running totals for the pool's insights.</summary>
        public Insights.WorkerTally? Tally { get; init; }
    }
}
