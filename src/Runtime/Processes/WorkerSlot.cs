using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using ParallelGen.Execution;
using ParallelGen.Protocol;

namespace ParallelGen.Processes;

/// <summary>
/// One place in the pool and the worker process currently filling it: starts the process, waits
/// for its handshake, feeds it chunks from the shared queue (at most <see cref="MaxInFlight"/> at a
/// time), reads its replies, and when the
/// process dies fails only the chunks it held and starts a replacement.
/// </summary>
internal sealed class WorkerSlot
{
    /// <summary>
    /// Chunks a worker holds at once. One: a second, prefetched chunk would queue behind a slow one while another
    /// worker sits idle, and would fail with it if the worker crashed. The cost is one local round trip (tens of µs)
    /// between chunks, small next to a default-sized chunk.
    /// </summary>
    public const int MaxInFlight = 1;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private const int MaxConsecutiveStartFailures = 3;

    private readonly LocalProcessExecutor _executor;
    private readonly Dictionary<long, PendingChunk> _inFlight = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource<FrameChannel> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private int _processId;
    private bool _dead;
    private long _nextRequestId;

    public WorkerSlot(LocalProcessExecutor executor, int index)
    {
        _executor = executor;
        Index = index;
    }

    public int Index { get; }

    public int ProcessId => Volatile.Read(ref _processId);

    public Task Lifetime { get; private set; } = Task.CompletedTask;

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

    public void Kill()
    {
        Process? process = _process;
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
                _executor.ReportBroken(this, _lastStartFailure ?? "worker processes keep failing to start");
                return;
            }
        }
    }

    private string? _lastStartFailure;

    /// <summary>Runs one worker process from start to exit. Returns whether it ever connected.</summary>
    private async Task<bool> RunOneProcessAsync()
    {
        Process process;
        lock (_gate)
        {
            _connected = new TaskCompletionSource<FrameChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
            _dead = false;
        }

        try
        {
            process = _executor.Launcher.Start(Index);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            _lastStartFailure = $"could not start '{_executor.Launcher.Description}': {e.Message}";
            await Task.Delay(200).ConfigureAwait(false);
            return false;
        }

        lock (_gate)
        {
            _process = process;
            _processId = process.Id;
        }

        using (process)
        {
            Task exited = process.WaitForExitAsync();
            Task timeout = Task.Delay(ConnectTimeout, _executor.Stopping);
            Task first = await Task.WhenAny(_connected.Task, exited, timeout).ConfigureAwait(false);
            if (first != _connected.Task)
            {
                _connected.TrySetCanceled();
                Kill();
                await exited.ConfigureAwait(false);
                _lastStartFailure = first == exited
                    ? $"worker process {process.Id} ('{_executor.Launcher.Description}') exited with code {process.ExitCode} before connecting to the pool (see its output above)"
                    : $"worker process {process.Id} did not connect within {ConnectTimeout.TotalSeconds:N0} s";
                return _executor.IsStopping;
            }

            FrameChannel channel = await _connected.Task.ConfigureAwait(false);
            using (channel)
            {
                await ServeAsync(channel, process, exited).ConfigureAwait(false);
            }

            return true;
        }
    }

    private async Task ServeAsync(FrameChannel channel, Process process, Task exited)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_executor.Stopping);
        var credits = new SemaphoreSlim(MaxInFlight, MaxInFlight);
        Task sending = SendLoopAsync(channel, credits, stop.Token);
        bool saidGoodbye = false;
        Exception? failure = null;
        try
        {
            saidGoodbye = await ReceiveLoopAsync(channel, credits, process.Id).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
            failure = e;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await sending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        // The channel is gone; the process follows (it exits when its channel closes). Give it a moment, then make sure.
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false) != exited)
        {
            Kill();
            await exited.ConfigureAwait(false);
        }

        int exitCode = process.ExitCode;
        List<PendingChunk> orphans;
        lock (_gate)
        {
            _dead = true;
            orphans = [.. _inFlight.Values];
            _inFlight.Clear();
        }

        if (orphans.Count > 0)
        {
            string how = failure is InvalidDataException ? $"broke the protocol ({failure.Message}) and was stopped" : $"died with exit code {exitCode}{DescribeSignal(exitCode)}";
            foreach (PendingChunk chunk in orphans)
            {
                if (_executor.Stopping.IsCancellationRequested)
                {
                    chunk.Fail(new OperationCanceledException("The pool was terminated while this chunk was running."));
                    continue;
                }

                chunk.Fail(new WorkerCrashedException(
                    $"Worker process {process.Id} (slot {Index}) {how} while running {chunk.Request.ItemCount} item(s) of {chunk.Request.Worker.Name}. The pool replaced it; the other items were not affected.",
                    process.Id,
                    exitCode,
                    Index));
            }
        }
        else if (!saidGoodbye && !_executor.IsStopping)
        {
            // An idle worker died: nothing was lost, the loop starts a replacement.
        }
    }

    private async Task SendLoopAsync(FrameChannel channel, SemaphoreSlim credits, CancellationToken cancellationToken)
    {
        byte[] prefix = new byte[20];
        while (true)
        {
            await credits.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!await _executor.Queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Draining: the queue is complete and empty. Once our last replies are in, ask the worker to leave.
                await WaitForIdleAsync(credits, cancellationToken).ConfigureAwait(false);
                await channel.SendAsync(FrameType.Shutdown, default, default, cancellationToken).ConfigureAwait(false);
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
                if (_dead)
                {
                    chunk.Unsend();
                    _executor.Requeue(chunk);
                    return;
                }

                requestId = ++_nextRequestId;
                _inFlight.Add(requestId, chunk);
            }

            BinaryPrimitives.WriteInt64LittleEndian(prefix, requestId);
            BinaryPrimitives.WriteUInt64LittleEndian(prefix.AsSpan(8), chunk.Request.Worker.Id);
            BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(16), chunk.Request.ItemCount);
            await channel.SendAsync(FrameType.Run, prefix, chunk.Request.Arguments, cancellationToken).ConfigureAwait(false);
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
    private async Task<bool> ReceiveLoopAsync(FrameChannel channel, SemaphoreSlim credits, int processId)
    {
        bool saidGoodbye = false;
        while (await channel.ReceiveAsync(CancellationToken.None, _executor.MaxFrameLength).ConfigureAwait(false) is { } frame)
        {
            switch (frame.Type)
            {
                case FrameType.Result:
                case FrameType.Fault:
                    if (frame.Length < 8)
                    {
                        frame.Dispose();
                        throw new InvalidDataException("A reply frame is too short to hold its request id.");
                    }

                    long requestId = BinaryPrimitives.ReadInt64LittleEndian(frame.Body);
                    PendingChunk? chunk;
                    lock (_gate)
                    {
                        _inFlight.Remove(requestId, out chunk);
                    }

                    if (chunk is null)
                    {
                        frame.Dispose();
                        throw new InvalidDataException($"A reply names request {requestId}, which this worker was not running.");
                    }

                    chunk.Complete(new ChunkReply(frame.DetachBuffer(), 8, frame.Length - 8, frame.Type == FrameType.Fault, processId, pooled: true));
                    credits.Release();
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

    private static string DescribeSignal(int exitCode) => !OperatingSystem.IsWindows() && exitCode is > 128 and < 160
        ? $" (signal {exitCode - 128}{(exitCode - 128) switch { 9 => ", SIGKILL", 6 => ", SIGABRT", 11 => ", SIGSEGV", 15 => ", SIGTERM", _ => "" }})"
        : "";
}
