using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Orleans;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Runtime.Placement;
using ParallelGen.Execution;

namespace ParallelGen.Cluster;

/// <summary>
/// Runs chunks on an Orleans cluster: each chunk is one call of the silos' stateless <see cref="IChunkGrain"/>, sent to the
/// active silo with the most free workers (Orleans' placement hint puts the call there). Membership, placement, messaging and
/// serialization are Orleans'; this class only picks a silo per chunk and sends again the chunks of a silo that went away.
/// </summary>
internal sealed class ClusterExecutor : IWorkerExecutor
{
    private readonly IGrainFactory _grains;
    private readonly ClusterPoolOptions _options;
    private readonly ClusterView _view;
    private readonly CancellationTokenSource _terminate = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource? _idle;
    private int _running;
    private bool _stopping;
    private long _retries;

    public ClusterExecutor(IGrainFactory grains, ClusterPoolOptions options)
    {
        _grains = grains;
        _options = options;
        _view = new ClusterView(grains, () => Volatile.Read(ref _running) > 0);
    }

    public int Concurrency
    {
        get
        {
            if (_options.Concurrency is int fixedConcurrency)
            {
                return fixedConcurrency;
            }

            // What the silos reported; a silo that has not answered yet counts as a machine like this one.
            int total = 0;
            foreach (SiloTarget silo in _view.Silos)
            {
                if (silo.IsLost || silo.IsDraining)
                {
                    continue;
                }

                total += silo.Concurrency > 0 ? silo.Concurrency : Environment.ProcessorCount;
            }

            return Math.Max(1, total == 0 ? Environment.ProcessorCount : total);
        }
    }

    public int MaxChunkBytes => _options.MaxChunkBytes;

    /// <summary>Chunks answered per silo address.</summary>
    public ConcurrentDictionary<string, int> ChunksBySilo { get; } = new(StringComparer.Ordinal);

    /// <summary>How many times a chunk was sent again because its silo went away.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public Task<ChunkReply> RunAsync(ChunkRequest request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ChunkReply>(cancellationToken);
        }

        // Orleans closes a connection that carries an oversized message, failing everything in flight on it: refuse this chunk alone.
        if (request.Arguments.Length > _options.MaxMessageBytes)
        {
            return Task.FromException<ChunkReply>(new InvalidOperationException(
                $"A chunk of {request.Worker.Name} ({request.ItemCount} item{(request.ItemCount == 1 ? "" : "s")}) holds {request.Arguments.Length:N0} bytes of arguments, " +
                $"more than one Orleans message carries (ClusterPoolOptions.MaxMessageBytes = {_options.MaxMessageBytes:N0}). Pass smaller items, or raise Orleans' " +
                "MessagingOptions.MaxMessageBodySize on the client and the silos together with ClusterPoolOptions.MaxMessageBytes."));
        }

        lock (_gate)
        {
            if (_stopping)
            {
                return Task.FromException<ChunkReply>(new ObjectDisposedException(nameof(ClusterPool), "The pool is stopping; no new work is accepted."));
            }

            _running++;
        }

        // The caller reuses its buffer once the chunk completes, and Orleans may still hold a message it gave up on by then: copy.
        var chunk = new ClusterChunk { WorkerId = request.Worker.Id, WorkerName = request.Worker.Name, ItemCount = request.ItemCount, Arguments = request.Arguments.ToArray(), TraceParent = request.TraceParent };
        return RunTrackedAsync(chunk, cancellationToken);
    }

    private async Task<ChunkReply> RunTrackedAsync(ClusterChunk chunk, CancellationToken cancellationToken)
    {
        try
        {
            return await RunWithRetriesAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TaskCompletionSource? idle = null;
            lock (_gate)
            {
                if (--_running == 0)
                {
                    idle = _idle;
                    _idle = null;
                }
            }

            idle?.TrySetResult();
        }
    }

    private async Task<ChunkReply> RunWithRetriesAsync(ClusterChunk chunk, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _terminate.Token);
        try
        {
            await _view.Ready.WaitAsync(stop.Token).ConfigureAwait(false);
            for (int attempt = 0; ; attempt++)
            {
                SiloTarget? silo = _view.Pick();
                string lost;
                silo?.Enter();
                try
                {
                    using var call = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, silo?.Lost ?? CancellationToken.None);
                    ClusterChunkReply reply = await Send(silo, chunk, call.Token).ConfigureAwait(false);
                    if (reply.SiloConcurrency > 0)
                    {
                        _view.Report(reply.Silo, reply.SiloConcurrency);
                    }

                    switch (reply.Status)
                    {
                        case ClusterChunkStatus.Results or ClusterChunkStatus.Fault:
                            ChunksBySilo.AddOrUpdate(reply.Silo, 1, static (_, n) => n + 1);
                            return ToChunkReply(reply);
                        case ClusterChunkStatus.WorkerCrashed:
                            throw new WorkerCrashedException($"{reply.Message} (on silo {reply.Silo})", reply.WorkerProcessId, reply.ExitCode, -1);
                        case ClusterChunkStatus.SiloStopping:
                            lost = reply.Message ?? $"silo {reply.Silo} is stopping";
                            break;
                        default:
                            throw new WorkerException(reply.ErrorType ?? "System.Exception", reply.Message ?? $"Silo {reply.Silo} could not run a chunk of {chunk.WorkerName}.", null, null, chunk.WorkerName, null, null);
                    }
                }
                catch (Exception e) when (!stop.IsCancellationRequested && (silo?.IsLost == true || IsSiloLoss(e)))
                {
                    lost = silo?.IsLost == true ? $"silo {silo.Name} left the cluster" : e.Message;
                }
                finally
                {
                    silo?.Exit();
                }

                _ = _view.RefreshAsync();
                if (attempt >= _options.SiloLossRetries)
                {
                    throw new WorkerCrashedException(
                        $"A chunk of {chunk.WorkerName} ({chunk.ItemCount} items) lost its silo {attempt + 1} times; the last time: {lost}. " +
                        $"Retries are bounded by ClusterPoolOptions.SiloLossRetries ({_options.SiloLossRetries}).");
                }

                Interlocked.Increment(ref _retries);
                await Task.Delay(_options.SiloLossRetryDelay * (attempt + 1), stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is not WorkerCrashedException and not WorkerException)
        {
            // Cancelled by the caller, or the pool was terminated: the chunk ends cancelled, as on one machine.
            throw new OperationCanceledException(_terminate.IsCancellationRequested ? "The pool was terminated before this chunk finished." : "The chunk was cancelled.", e, stop.Token);
        }
    }

    /// <summary>Calls the stateless worker on <paramref name="silo"/> (any silo when none is known yet).</summary>
    private Task<ClusterChunkReply> Send(SiloTarget? silo, ClusterChunk chunk, CancellationToken cancellationToken)
    {
        if (silo is null)
        {
            return _grains.GetGrain<IChunkGrain>(0).RunAsync(chunk, cancellationToken);
        }

        // The hint travels in the call's request context, which Orleans captures when the call is made.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo.Address);
        try
        {
            return _grains.GetGrain<IChunkGrain>(silo.GrainKey).RunAsync(chunk, cancellationToken);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>The silo holding the chunk went away (died, stopped, unreachable) before it answered: the chunk may run elsewhere.</summary>
    private static bool IsSiloLoss(Exception e) => e is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException;

    private static ChunkReply ToChunkReply(ClusterChunkReply reply)
    {
        // Orleans hands over a fresh array: wrap it rather than copy it.
        if (!MemoryMarshal.TryGetArray(reply.Body, out ArraySegment<byte> body))
        {
            body = reply.Body.ToArray();
        }

        return new ChunkReply(body.Array!, body.Offset, body.Count, reply.Status == ClusterChunkStatus.Fault, reply.WorkerProcessId, pooled: false);
    }

    public async Task DrainAsync()
    {
        Task idle;
        lock (_gate)
        {
            _stopping = true;
            idle = _running == 0 ? Task.CompletedTask : (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        await idle.ConfigureAwait(false);
    }

    public void Terminate()
    {
        lock (_gate)
        {
            _stopping = true;
        }

        _terminate.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        Terminate();
        await DrainAsync().ConfigureAwait(false);
        await _view.DisposeAsync().ConfigureAwait(false);
        _terminate.Dispose();
    }
}
