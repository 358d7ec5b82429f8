using System.Diagnostics;
using System.Net.Sockets;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Processes;

/// <summary>
/// One place in the pool and the life of the worker process filling it: starts the process, waits for its handshake
/// (the transport the pool hands over in <see cref="TryAttach"/>), runs the initializer, lets a
/// <see cref="WorkerConversation"/> serve it until it exits, kills it when it must, and starts a replacement, giving up
/// (see <see cref="ISlotSupervisor.ReportBroken"/>) when replacements keep failing to start.
/// </summary>
internal sealed class WorkerSlot
{
    private const int MaxConsecutiveStartFailures = 3;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A worker whose transport closed gets this long to exit on its own before it is killed.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly PoolSettings _settings;
    private readonly IPoolEvents _events;
    private readonly ISlotSupervisor _supervisor;
    private readonly IWorkerDispatch _dispatch;
    private readonly Lock _gate = new();
    private TaskCompletionSource<IFrameTransport> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private int _processId;
    private RingRegion? _rings;
    private WorkerConversation? _conversation;
    private string? _lastStartFailure;
    private Exception? _lastStartError;

    public WorkerSlot(int index, PoolSettings settings, IPoolEvents events, ISlotSupervisor supervisor, IWorkerDispatch dispatch)
    {
        Index = index;
        _settings = settings;
        _events = events;
        _supervisor = supervisor;
        _dispatch = dispatch;
    }

    public int Index { get; }

    public int ProcessId => Volatile.Read(ref _processId);

    public Task Lifetime { get; private set; } = Task.CompletedTask;

    public void Start() => Lifetime = Task.Run(RunAsync);

    /// <summary>
    /// Called by the endpoint when a peer proved the secret on <paramref name="channel"/> and claims this slot with
    /// <paramref name="processId"/>; <paramref name="onRings"/> is what its Hello said about the rings this slot handed it at
    /// launch. The transport upgrade point, parent side (see <see cref="TransportUpgrade"/>). Returns <see langword="false"/>
    /// (the channel stays the caller's) when this slot waits for no such process; throws <see cref="InvalidDataException"/>
    /// when the Hello claims rings it was not given.
    /// </summary>
    public bool TryAttach(int processId, bool onRings, FrameChannel channel)
    {
        RingRegion? rings;
        lock (_gate)
        {
            if (processId != _processId || _connected.Task.IsCompleted)
            {
                return false;
            }

            rings = _rings;
            _rings = null;
        }

        IFrameTransport transport = TransportUpgrade.ToWorker(channel, rings, onRings);
        if (_connected.TrySetResult(transport))
        {
            return true;
        }

        // The slot gave up on this process meanwhile; a transport built over the channel has its own resources to let go.
        if (!ReferenceEquals(transport, channel))
        {
            transport.Dispose();
        }

        return false;
    }

    public void Kill() => ProcessTree.Kill(Volatile.Read(ref _process));

    /// <summary>Another worker went idle: ask this slot's worker for chunks it holds but has not started.</summary>
    public void Reclaim()
    {
        WorkerConversation? conversation;
        lock (_gate)
        {
            conversation = _conversation;
        }

        conversation?.Reclaim();
    }

    private async Task RunAsync()
    {
        int consecutiveStartFailures = 0;
        while (!_supervisor.IsStopping)
        {
            bool connected = await RunOneProcessAsync().ConfigureAwait(false);
            consecutiveStartFailures = connected ? 0 : consecutiveStartFailures + 1;
            if (consecutiveStartFailures >= MaxConsecutiveStartFailures)
            {
                _supervisor.ReportBroken(Index, _lastStartFailure ?? "worker processes keep failing to start", _lastStartError);
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
            _connected = new TaskCompletionSource<IFrameTransport>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        WorkerLauncher launcher = _supervisor.Launcher;
        long launchedAt = Stopwatch.GetTimestamp();
        try
        {
            // The slot knows the process (and owns its rings) before the process can read where to connect.
            process = launcher.Start(Index, (started, rings) =>
            {
                lock (_gate)
                {
                    _process = started;
                    _processId = started.Id;
                    _rings = rings;
                }
            });
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            _lastStartFailure = $"could not start '{launcher.Description}': {e.Message}";
            _lastStartError = null;
            await Task.Delay(200).ConfigureAwait(false);
            return false;
        }

        lock (_gate)
        {
            _process = process;
            _processId = process.Id;
        }

        _events.WorkerStarted(Index, process.Id);
        Insights.WorkerTally tally = _supervisor.Insights.Started(Index, process.Id, launchedAt);
        using (process)
        {
            try
            {
                Task exited = process.WaitForExitAsync();
                Task timeout = Task.Delay(ConnectTimeout, _supervisor.Stopping);
                Task first = await Task.WhenAny(_connected.Task, exited, timeout).ConfigureAwait(false);
                if (first != _connected.Task)
                {
                    _connected.TrySetCanceled();
                    ProcessTree.Kill(process);
                    await exited.ConfigureAwait(false);
                    tally.Exit();
                    _lastStartError = null;
                    _lastStartFailure = first == exited
                        ? $"worker process {process.Id} ('{launcher.Description}') exited with {WorkerCrashedException.DescribeExit(process.ExitCode)} before connecting to the pool (see its output above)"
                        : $"worker process {process.Id} did not connect within {ConnectTimeout.TotalSeconds:N0} s";
                    _events.WorkerExited(Index, process.Id, process.ExitCode, _supervisor.IsStopping ? WorkerExitReason.Terminated : WorkerExitReason.StartFailed, _lastStartFailure);
                    return _supervisor.IsStopping;
                }

                IFrameTransport transport = await _connected.Task.ConfigureAwait(false);
                using var conversation = new WorkerConversation(Index, transport, process, _settings, _events, _dispatch) { Tally = tally, Insights = _supervisor.Insights };
                if (_settings.Initializer is { } initializer && !await InitializeAsync(conversation, process, initializer, exited).ConfigureAwait(false))
                {
                    tally.Exit();
                    return _supervisor.IsStopping;
                }

                tally.Ready();
                await ServeAsync(conversation, process, exited).ConfigureAwait(false);
                tally.Exit();
                return true;
            }
            finally
            {
                // Rings never attached (the process died or never connected) are unlinked and unmapped here.
                TakeRings()?.Dispose();

                // A worker that was killed or crashed could not remove the runtime's debugger and diagnostics files from
                // the temp directory; this pool started it and saw it exit, so it removes them (owner-checked, no links).
                if (process.HasExited)
                {
                    WorkerRuntimeFiles.RemoveFor(process.Id);
                }
            }
        }
    }

    private RingRegion? TakeRings()
    {
        lock (_gate)
        {
            RingRegion? rings = _rings;
            _rings = null;
            return rings;
        }
    }

    /// <summary>Runs the pool's initializer in a fresh worker. On failure, stops the worker and records why.</summary>
    private async Task<bool> InitializeAsync(WorkerConversation conversation, Process process, WorkerInitializer initializer, Task exited)
    {
        string? failure = null;
        Exception? cause = null;
        try
        {
            // Blocking calls on a pool thread keep a socket a blocking one (see FrameChannel.Send); a terminating pool kills the process, which ends the read.
            long requestId = 0;
            using ReceivedFrame? frame = await Task.Run(() => conversation.ExchangeInitializer(initializer, out requestId)).ConfigureAwait(false);
            if (frame is null)
            {
                failure = "";
            }
            else if (frame.Type is not (FrameType.Result or FrameType.Fault) || frame.Length < ChunkStats.ReplyBodyStart || !RequestId.TryRead(frame.Body, out long answered) || answered != requestId)
            {
                failure = $"worker process {process.Id} answered its initializer with an unexpected {frame.Type} frame";
            }
            else if (InitializerReply.ReadFailure(frame.Body[ChunkStats.ReplyBodyStart..], frame.Type == FrameType.Fault) is { } error)
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

        ProcessTree.Kill(process);
        await exited.ConfigureAwait(false);
        if (failure.Length == 0)
        {
            failure = $"worker process {process.Id} died with {WorkerCrashedException.DescribeExit(process.ExitCode)} while running the initializer {initializer.Worker.Name}";
        }

        _lastStartFailure = failure;
        _lastStartError = cause;
        _events.WorkerExited(Index, process.Id, process.ExitCode, _supervisor.IsStopping ? WorkerExitReason.Terminated : WorkerExitReason.StartFailed, failure);
        return false;
    }

    /// <summary>Lets <paramref name="conversation"/> serve chunks until its transport ends, then makes sure the process is gone and settles its chunks.</summary>
    private async Task ServeAsync(WorkerConversation conversation, Process process, Task exited)
    {
        lock (_gate)
        {
            _conversation = conversation;
        }

        (bool saidGoodbye, Exception? failure) = await conversation.ConverseAsync().ConfigureAwait(false);
        if (failure is not null)
        {
            // A worker that broke the protocol (or whose transport failed) can't be trusted to leave on its own.
            ProcessTree.Kill(process);
        }

        // The transport is gone; the process follows (it exits when its connection closes). Give it a moment, then make sure.
        if (await Task.WhenAny(exited, Task.Delay(ExitWait)).ConfigureAwait(false) != exited)
        {
            ProcessTree.Kill(process);
            await exited.ConfigureAwait(false);
        }

        lock (_gate)
        {
            _conversation = null;
        }

        conversation.End(process.ExitCode, saidGoodbye, failure);
    }
}
