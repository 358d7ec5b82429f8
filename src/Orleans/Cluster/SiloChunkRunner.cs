using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using ParallelGen.Execution;
using ParallelGen.Hosting;

namespace ParallelGen.Cluster;

/// <summary>
/// One per silo: runs the chunks its <see cref="ChunkGrain"/> receives, on the silo's own <see cref="ProcessPool"/> (started
/// with the silo, stopped with it) or in the silo's process. Replies carry the exact bytes a worker process sends, so the
/// client decodes them with the same code as on one machine.
/// </summary>
/// <remarks>
/// On a graceful stop the silo refuses new chunks (the client sends them elsewhere) and lets the chunks it holds finish while
/// Orleans' shutdown allows; chunks still running when it gives up are answered <see cref="ClusterChunkStatus.SiloStopping"/>
/// and run elsewhere.
/// </remarks>
internal sealed partial class SiloChunkRunner : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly ParallelGenWorkerOptions _options;
    private readonly ILogger<SiloChunkRunner> _logger;
    private readonly string _silo;
    private readonly SemaphoreSlim? _inProcessSlots;
    private ProcessPool? _pool;
    private volatile bool _stopping;
    private long _chunksRun;
    private readonly int _maxReplyBytes;

    public SiloChunkRunner(IOptions<ParallelGenWorkerOptions> options, IOptions<SiloMessagingOptions> messaging, ILocalSiloDetails silo, ILogger<SiloChunkRunner> logger)
    {
        _options = options.Value;
        _maxReplyBytes = messaging.Value.MaxMessageBodySize;
        _logger = logger;
        _silo = silo.SiloAddress.ToString();
        if (_options.InProcess)
        {
            int slots = _options.InProcessConcurrency ?? Environment.ProcessorCount;
            ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1, nameof(ParallelGenWorkerOptions.InProcessConcurrency));
            Concurrency = slots;
            _inProcessSlots = new SemaphoreSlim(slots, slots);
        }
        else
        {
            Concurrency = _options.ProcessPool.Processes ?? Environment.ProcessorCount;
        }
    }

    /// <summary>How many chunks this silo runs at once.</summary>
    public int Concurrency { get; }

    /// <summary>Chunks this silo has run (whatever their outcome), for diagnostics and tests.</summary>
    public long ChunksRun => Interlocked.Read(ref _chunksRun);

    /// <summary>Called when a chunk starts on this silo (tests wait for it instead of sleeping).</summary>
    internal Action? ChunkStarted { get; set; }

    /// <summary>Called when a caller's cancellation of a chunk reaches this silo while the chunk is here.</summary>
    internal Action? ChunkCancelled { get; set; }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloChunkRunner), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    public async Task<ClusterChunkReply> RunAsync(ClusterChunk chunk, CancellationToken cancellationToken)
    {
        if (_stopping)
        {
            return Stopping("the silo is stopping and takes no new chunks");
        }

        ChunkStarted?.Invoke();
        using CancellationTokenRegistration cancelled = cancellationToken.Register(static state => ((SiloChunkRunner)state!).ChunkCancelled?.Invoke(), this);
        try
        {
            ClusterChunkReply reply = _options.InProcess
                ? await RunInProcessAsync(chunk, cancellationToken).ConfigureAwait(false)
                : await RunOnPoolAsync(chunk, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _chunksRun);
            if (reply.Body.Length > _maxReplyBytes)
            {
                // Sent as is, it would break the connection for every call on it.
                return new ClusterChunkReply
                {
                    Status = ClusterChunkStatus.Error,
                    ErrorType = "System.InvalidOperationException",
                    Message = $"The results of a chunk of {chunk.WorkerName} ({chunk.ItemCount} items) take {reply.Body.Length:N0} bytes, more than one Orleans message carries " +
                        $"(MaxMessageBodySize = {_maxReplyBytes:N0} on silo {_silo}). Pass a smaller chunkSize, or raise MessagingOptions.MaxMessageBodySize.",
                    Silo = _silo,
                    SiloConcurrency = Concurrency,
                };
            }

            return reply;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (WorkerCrashedException e) when (!_stopping)
        {
            return new ClusterChunkReply { Status = ClusterChunkStatus.WorkerCrashed, Message = e.Message, WorkerProcessId = e.WorkerProcessId, ExitCode = e.ExitCode, Silo = _silo, SiloConcurrency = Concurrency };
        }
        catch (Exception) when (_stopping)
        {
            // The silo's workers were stopped under the chunk: it never finished here, so the client runs it elsewhere.
            return Stopping("the silo stopped before the chunk finished");
        }
        catch (Exception e)
        {
            return new ClusterChunkReply { Status = ClusterChunkStatus.Error, ErrorType = e.GetType().FullName, Message = $"Silo {_silo} could not run a chunk of {chunk.WorkerName}: {e.Message}", Silo = _silo, SiloConcurrency = Concurrency };
        }
    }

    private async Task<ClusterChunkReply> RunOnPoolAsync(ClusterChunk chunk, CancellationToken cancellationToken)
    {
        ProcessPool pool = Volatile.Read(ref _pool) ?? throw new InvalidOperationException("The silo's worker processes are not started yet (the silo is not active).");
        var request = new ChunkRequest(new WorkerMethod(chunk.WorkerId, chunk.WorkerName), chunk.ItemCount, chunk.Arguments) { TraceParent = chunk.TraceParent };
        using ChunkReply reply = await pool.RunChunkAsync(request, cancellationToken).ConfigureAwait(false);
        return new ClusterChunkReply
        {
            Status = reply.IsFault ? ClusterChunkStatus.Fault : ClusterChunkStatus.Results,
            Body = reply.Body.ToArray(),
            WorkerProcessId = reply.WorkerProcessId,
            Silo = _silo,
            SiloConcurrency = Concurrency,
        };
    }

    private async Task<ClusterChunkReply> RunInProcessAsync(ClusterChunk chunk, CancellationToken cancellationToken)
    {
        IWorkerTable table = WorkerHost.EntryTable ?? throw new InvalidOperationException(
            "The silo's program has no generated worker table: its entry assembly must reference the Parallel.Gen package (which brings the " +
            "source generator) and declare or reference the [Worker] methods that clients call.");
        await _inProcessSlots!.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Off the grain's scheduler: a worker is ordinary code that may block or spin for as long as it likes.
            (byte[] body, bool isFault) = await Task.Run(() => ChunkHost.RunAsync(table, chunk.WorkerId, chunk.Arguments, chunk.ItemCount, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new ClusterChunkReply
            {
                Status = isFault ? ClusterChunkStatus.Fault : ClusterChunkStatus.Results,
                Body = body,
                WorkerProcessId = Environment.ProcessId,
                Silo = _silo,
                SiloConcurrency = Concurrency,
            };
        }
        finally
        {
            _inProcessSlots.Release();
        }
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.InProcess)
        {
            // Started with the silo, all workers at once, so the first chunk does not wait for processes to start.
            Volatile.Write(ref _pool, new ProcessPool(_options.ProcessPool));
            LogStarted(_silo, Concurrency);
        }

        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        ProcessPool? pool = Interlocked.Exchange(ref _pool, null);
        if (pool is null)
        {
            return;
        }

        // Let the chunks this silo holds finish while the shutdown allows; then stop the workers (those chunks run elsewhere).
        pool.Close();
        try
        {
            await pool.JoinAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogGaveUpWaiting(_silo);
        }
        finally
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (Interlocked.Exchange(ref _pool, null) is { } pool)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }

        _inProcessSlots?.Dispose();
    }

    private ClusterChunkReply Stopping(string why) => new() { Status = ClusterChunkStatus.SiloStopping, Message = $"Silo {_silo}: {why}.", Silo = _silo, SiloConcurrency = Concurrency };

    [LoggerMessage(Level = LogLevel.Information, Message = "Parallel.Gen workers on silo {Silo}: {Processes} worker processes started")]
    private partial void LogStarted(string silo, int processes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parallel.Gen workers on silo {Silo}: the shutdown did not wait for the running chunks to finish; they are stopped and clients run them elsewhere")]
    private partial void LogGaveUpWaiting(string silo);
}
