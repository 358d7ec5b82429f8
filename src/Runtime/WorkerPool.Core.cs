using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParallelGen.Execution;
using ParallelGen.FrontEnd;
using ParallelGen.Serialization;

namespace ParallelGen;

// The typed entry points that generated interceptors call: they carry the worker's id and the
// codecs of its arguments and result as static-abstract type parameters (no reflection, no boxing).
public abstract partial class WorkerPool
{
    /// <summary>Generated code calls this for <c>Map</c> and <c>StarMap</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TResult[] MapCore<TArgs, TResult, TArgsCodec, TResultCodec>(WorkerMethod worker, IEnumerable<TArgs> items, int? chunkSize, IProgress<MapProgress>? progress)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
        => RunMapAsync<TArgs, TResult, TArgsCodec, TResultCodec>("Map", worker, items, chunkSize, progress, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Generated code calls this for <c>MapAsync</c> and <c>StarMapAsync</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Task<TResult[]> MapAsyncCore<TArgs, TResult, TArgsCodec, TResultCodec>(WorkerMethod worker, IEnumerable<TArgs> items, int? chunkSize, IProgress<MapProgress>? progress, CancellationToken cancellationToken)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
        => RunMapAsync<TArgs, TResult, TArgsCodec, TResultCodec>("MapAsync", worker, items, chunkSize, progress, cancellationToken);

    /// <summary>Generated code calls this for <c>Imap</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public IAsyncEnumerable<TResult> ImapCore<TArgs, TResult, TArgsCodec, TResultCodec>(WorkerMethod worker, IEnumerable<TArgs> items, int? chunkSize, IProgress<MapProgress>? progress, CancellationToken cancellationToken)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
        => StreamAsync<TArgs, TResult, TArgsCodec, TResultCodec>(worker, items, chunkSize, ordered: true, progress, cancellationToken);

    /// <summary>Generated code calls this for <c>ImapUnordered</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public IAsyncEnumerable<TResult> ImapUnorderedCore<TArgs, TResult, TArgsCodec, TResultCodec>(WorkerMethod worker, IEnumerable<TArgs> items, int? chunkSize, IProgress<MapProgress>? progress, CancellationToken cancellationToken)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
        => StreamAsync<TArgs, TResult, TArgsCodec, TResultCodec>(worker, items, chunkSize, ordered: false, progress, cancellationToken);

    private async Task<TResult[]> RunMapAsync<TArgs, TResult, TArgsCodec, TResultCodec>(string operation, WorkerMethod worker, IEnumerable<TArgs> items, int? chunkSize, IProgress<MapProgress>? progress, CancellationToken cancellationToken)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
    {
        ArgumentNullException.ThrowIfNull(items);
        ValidateChunkSize(chunkSize);
        using CallScope call = EnterCall();
        // Over an array (its length can't change under us) the results are not zeroed first: every slot is written before the
        // array is returned (a failed item throws instead), and clearing a million results was 7% of the caller's time. The
        // runtime zeroes arrays that hold references anyway. Another collection's count is only a promise, so it is zeroed.
        TResult[]? exact = items is TArgs[] array ? GC.AllocateUninitializedArray<TResult>(array.Length)
            : items.TryGetNonEnumeratedCount(out int n) ? new TResult[n] : null;
        List<TResult>? grown = exact is null ? [] : null;
        Exception? firstFailure = null;
        using var tracker = new CallTracker(operation, worker, exact?.Length, progress);
        try
        {
            await foreach (CompletedChunk chunk in ChunkStream.RunAsync<TArgs, TArgsCodec>(Executor, items, chunkSize, ordered: true, tracker, cancellationToken).ConfigureAwait(false))
            {
                Span<TResult> slots;
                if (exact is not null)
                {
                    slots = exact.AsSpan(chunk.StartIndex, chunk.Count);
                }
                else
                {
                    CollectionsMarshal.SetCount(grown!, chunk.StartIndex + chunk.Count);
                    slots = CollectionsMarshal.AsSpan(grown).Slice(chunk.StartIndex, chunk.Count);
                }

                List<Exception>? failures = ChunkDecoder.Decode<TResult, TResultCodec>(chunk, worker, slots, out int failed);
                tracker.ChunkDone(chunk.Count, failed);
                firstFailure ??= failures?[0];
            }

            tracker.Finished();
        }
        catch (Exception e)
        {
            tracker.Fail(e);
            throw;
        }

        // Like Python's Pool.map: every item runs, then the first failure (lowest item index) is raised.
        if (firstFailure is not null)
        {
            tracker.Fail(firstFailure);
            throw firstFailure;
        }

        return exact ?? [.. grown!];
    }

    /// <summary>Generated code calls this for <c>Apply</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TResult ApplyCore<TArgs, TResult, TArgsCodec, TResultCodec>(WorkerMethod worker, TArgs args)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
    {
        // Not through ApplyAsyncCore: its await would add a thread-pool hop between the reply and this blocked caller.
        using CallScope call = EnterCall();
        byte[] buffer = Serialize<TArgs, TArgsCodec>(args, out int length);
        var request = new ChunkRequest(worker, 1, buffer.AsMemory(0, length));

        // Where the executor allows it, this thread reads its own reply (spinning briefly in the transport, then sleeping on
        // its futex): the worker's write wakes it directly, and the task is complete on return.
        Task<ChunkReply> outcome = Executor is IBlockingExecutor reading ? reading.RunReading(request) : Executor.RunAsync(request, CancellationToken.None);
        if (!outcome.IsCompleted)
        {
            try
            {
                // Queued, or another thread reads the worker's replies: blocks until that thread completes the chunk.
                outcome.GetAwaiter().GetResult();
            }
            catch (Exception) when (outcome.IsCompleted)
            {
                // Read below, with the worker's name and item attached.
            }
        }

        // Completed: nothing reads the arguments any more.
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        return DecodeApply<TResult, TResultCodec>(worker, outcome);
    }

    /// <summary>Generated code calls this for <c>ApplyAsync</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task<TResult> ApplyAsyncCore<TArgs, TResult, TArgsCodec, TResultCodec>(WorkerMethod worker, TArgs args, CancellationToken cancellationToken)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
    {
        using CallScope call = EnterCall();
        byte[] buffer = Serialize<TArgs, TArgsCodec>(args, out int length);
        Task<ChunkReply> outcome = Executor.RunAsync(new ChunkRequest(worker, 1, buffer.AsMemory(0, length)), cancellationToken);

        // The executor reads the arguments until the chunk completes, even if this call stops waiting first.
        _ = outcome.ContinueWith(static (_, state) => System.Buffers.ArrayPool<byte>.Shared.Return((byte[])state!), buffer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (!outcome.IsCompleted)
        {
            try
            {
                await outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !outcome.IsCompleted)
            {
                _ = outcome.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw;
            }
            catch (Exception) when (outcome.IsCompleted)
            {
                // Read below, with the worker's name and item attached.
            }
        }

        return DecodeApply<TResult, TResultCodec>(worker, outcome);
    }

    private static byte[] Serialize<TArgs, TArgsCodec>(TArgs args, out int length)
        where TArgsCodec : IWireCodec<TArgs>
    {
        using var writer = new WireWriter();
        TArgsCodec.Write(writer, args);
        return writer.DetachBuffer(out length);
    }

    private static TResult DecodeApply<TResult, TResultCodec>(WorkerMethod worker, Task<ChunkReply> outcome)
        where TResultCodec : IWireCodec<TResult>
    {
        TResult result = default!;
        List<Exception>? failures = ChunkDecoder.Decode<TResult, TResultCodec>(new CompletedChunk(0, 1, outcome), worker, new Span<TResult>(ref result));
        if (failures is not null)
        {
            throw failures[0];
        }

        return result;
    }

    private async IAsyncEnumerable<TResult> StreamAsync<TArgs, TResult, TArgsCodec, TResultCodec>(WorkerMethod worker, IEnumerable<TArgs> items, int? chunkSize, bool ordered, IProgress<MapProgress>? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
    {
        ArgumentNullException.ThrowIfNull(items);
        ValidateChunkSize(chunkSize);
        using CallScope call = EnterCall();
        using var tracker = new CallTracker(ordered ? "Imap" : "ImapUnordered", worker, items.TryGetNonEnumeratedCount(out int n) ? n : null, progress);
        await foreach (CompletedChunk chunk in ChunkStream.RunAsync<TArgs, TArgsCodec>(Executor, items, chunkSize, ordered, tracker, cancellationToken).ConfigureAwait(false))
        {
            var values = new TResult[chunk.Count];
            List<Exception>? failures = ChunkDecoder.Decode<TResult, TResultCodec>(chunk, worker, values, out int failed);
            tracker.ChunkDone(chunk.Count, failed);
            int firstFailed = failures is null ? values.Length : ((WorkerExceptionIndex(failures[0]) ?? chunk.StartIndex) - chunk.StartIndex);
            for (int i = 0; i < firstFailed && i < values.Length; i++)
            {
                yield return values[i];
            }

            // Python's imap: the results before the failing item, then the failure.
            if (failures is not null)
            {
                tracker.Fail(failures[0]);
                throw failures[0];
            }
        }

        tracker.Finished();
    }

    private static int? WorkerExceptionIndex(Exception e) => e is WorkerException { ItemIndex: int index } ? index : null;

    private static void ValidateChunkSize(int? chunkSize)
    {
        if (chunkSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "chunkSize must be at least 1 (or null for the default: ceil(items / (4 × processes))).");
        }
    }
}
