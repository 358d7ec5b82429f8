using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ParallelGen.Execution;
using ParallelGen.Serialization;

namespace ParallelGen.FrontEnd;

/// <summary>A chunk that came back (or failed): which items it covered and the executor's outcome.</summary>
internal readonly record struct CompletedChunk(int StartIndex, int Count, Task<ChunkReply> Outcome);

/// <summary>
/// Pulls items from the caller's sequence lazily, serializes them into chunks, keeps at most
/// <c>3 × concurrency</c> chunks in flight (more small ones when the executor asks:
/// <see cref="IWorkerExecutor.MaxSmallChunksInFlight"/>), and hands back completed chunks in input order or as
/// they finish. Never materializes the input. An exception thrown by the input sequence surfaces
/// as itself after the chunks already sent are settled.
/// </summary>
internal static class ChunkStream
{
    public static async IAsyncEnumerable<CompletedChunk> RunAsync<TArg, TArgCodec>(
        IWorkerExecutor executor,
        IEnumerable<TArg> items,
        int? chunkSize,
        bool ordered,
        CallTracker tracker,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TArgCodec : IWireCodec<TArg>
    {
        int processes = executor.Concurrency;
        int? count = items.TryGetNonEnumeratedCount(out int n) ? n : null;
        ChunkSizer sizer = ChunkSizing.For(chunkSize, count, processes);
        int maxInFlight = Math.Max(2, processes * 3);

        // Tiny chunks pay per chunk: the executor may want more of them in flight (its workers hold several at once).
        int maxSmallInFlight = Math.Max(maxInFlight, executor.MaxSmallChunksInFlight);
        bool lastWasSmall = false;
        int maxChunkBytes = executor.MaxChunkBytes;

        // Abandoned chunks (the consumer stopped early) are cancelled so queued ones never run.
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<CompletedChunk>(maxInFlight);
        using var source = new ChunkSource<TArg>(items);
        using var writer = new WireWriter(4096);

        // Unordered: each chunk posts itself here as it completes, so the consumer takes the next one without a WhenAny
        // over everything in flight for every chunk.
        Channel<CompletedChunk>? finished = ordered ? null : Channel.CreateUnbounded<CompletedChunk>(new UnboundedChannelOptions { SingleReader = true });
        bool exhausted = false;
        ExceptionDispatchInfo? sourceError = null;
        int nextIndex = 0;
        bool totalKnown = false;
        try
        {
            while (true)
            {
                while (!exhausted && pending.Count < (lastWasSmall ? maxSmallInFlight : maxInFlight))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int size = sizer.Next();
                    int taken;
                    bool full;
                    ReadOnlyMemory<byte> raw = default;
                    bool isRaw = false;
                    writer.Reset();
                    try
                    {
                        // An array of raw values is sent from the array itself; anything else is serialized into the writer.
                        isRaw = source.TryTakeRaw<TArgCodec>(size, maxChunkBytes, out raw, out taken, out full);
                        if (!isRaw)
                        {
                            taken = source.Write<TArgCodec>(writer, size, maxChunkBytes, out full);
                        }
                    }
                    catch (Exception e)
                    {
                        sourceError = ExceptionDispatchInfo.Capture(e);
                        exhausted = true;
                        break;
                    }

                    if (taken < size && !full)
                    {
                        exhausted = true;
                    }

                    if (taken == 0)
                    {
                        break;
                    }

                    // The executor reads the arguments until the chunk completes; the buffer is ours again after that.
                    byte[]? buffer = null;
                    ReadOnlyMemory<byte> arguments = isRaw ? raw : (buffer = writer.DetachBuffer(out int length)).AsMemory(0, length);
                    lastWasSmall = arguments.Length <= IWorkerExecutor.SmallChunkBytes;
                    ChunkRequest request = tracker.Request(nextIndex, taken, arguments, out Activity? chunkActivity);
                    var settled = new ChunkSettled(buffer, nextIndex, taken, finished?.Writer, tracker, chunkActivity);
                    Task<ChunkReply> outcome;
                    if (executor is IObservingExecutor observing)
                    {
                        // Told on the thread that settles the chunk: no continuation, no thread-pool work item per chunk.
                        outcome = observing.RunAsync(request, settled, abandon.Token);
                    }
                    else
                    {
                        outcome = executor.RunAsync(request, abandon.Token);
                        _ = outcome.ContinueWith(static (task, state) => ((ChunkSettled)state!).Settled(task), settled, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }

                    pending.Add(new CompletedChunk(nextIndex, taken, outcome));
                    nextIndex += taken;
                }

                if (exhausted && sourceError is null && !totalKnown)
                {
                    totalKnown = true;
                    tracker.InputEnded(nextIndex);
                }

                if (pending.Count == 0)
                {
                    break;
                }

                CompletedChunk next;
                if (ordered)
                {
                    next = pending[0];
                    pending.RemoveAt(0);
                    await WaitAsync(next.Outcome, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    next = await finished!.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    pending.Remove(next);
                }

                yield return next;
            }
        }
        finally
        {
            await abandon.CancelAsync().ConfigureAwait(false);
            foreach (CompletedChunk left in pending)
            {
                _ = left.Outcome.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        sourceError?.Throw();
    }

    private static async Task WaitAsync(Task task, CancellationToken cancellationToken)
    {
        if (!task.IsCompleted)
        {
            try
            {
                await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The outcome (result or failure) is the caller's to read.
            }
        }
    }

    /// <summary>
    /// What happens as a chunk settles, on the thread that settled it: its duration and activity are recorded, its argument
    /// buffer (none when the arguments are the caller's array itself) goes back to the pool, and an unordered stream hears of it.
    /// </summary>
    private sealed class ChunkSettled(byte[]? buffer, int startIndex, int count, ChannelWriter<CompletedChunk>? finished, CallTracker tracker, Activity? activity) : IChunkObserver
    {
        private readonly long _sentAt = CallTracker.ChunkSentAt();

        public object Call => tracker;

        public void Settled(Task<ChunkReply> outcome)
        {
            tracker.Settled(outcome, _sentAt, activity);
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            finished?.TryWrite(new CompletedChunk(startIndex, count, outcome));
        }
    }
}
