using System.ComponentModel;
using ParallelGen.Exceptions;
using ParallelGen.Serialization;

namespace ParallelGen.Hosting;

/// <summary>
/// Runs one chunk against a dispatch table, the way a worker process does, for hosts that run chunks
/// in their own process (an Orleans silo's in-process mode). The worker loop uses the same steps, so
/// the reply bytes are the same whoever runs the chunk. Used by Parallel.Gen packages; not meant for
/// application code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ChunkHost
{
    /// <summary>
    /// Runs <paramref name="count"/> calls of worker <paramref name="workerId"/> and returns the reply body: the
    /// chunk's results (per-item values and failures), or, when <c>IsFault</c>, why the whole chunk could not run
    /// (an unknown worker id, unreadable arguments), as a worker process would send them.
    /// </summary>
    public static async Task<(byte[] Body, bool IsFault)> RunAsync(IWorkerTable table, ulong workerId, ReadOnlyMemory<byte> arguments, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var writer = new WireWriter(Math.Max(256, arguments.Length));
        var results = new ChunkResultWriter(writer);
        bool isFault = false;
        try
        {
            await Start(table, workerId, arguments, count, results, cancellationToken).ConfigureAwait(false);
            results.Complete();
        }
        catch (Exception e)
        {
            writer.Position = 0;
            RemoteExceptionInfo.From(e).Write(writer);
            isFault = true;
        }

        return (writer.WrittenSpan.ToArray(), isFault);
    }

    /// <summary>
    /// The worker loop's path: runs the chunk on this thread, writing its results at the writer's position.
    /// Throws when the chunk as a whole can't run; the caller writes that as a fault.
    /// </summary>
    internal static void Run(IWorkerTable table, ulong workerId, ReadOnlyMemory<byte> arguments, int count, ChunkResultWriter results, CancellationToken cancellationToken)
    {
        ValueTask completion = Start(table, workerId, arguments, count, results, cancellationToken);
        if (!completion.IsCompletedSuccessfully)
        {
            completion.AsTask().GetAwaiter().GetResult();
        }

        results.Complete();
    }

    private static ValueTask Start(IWorkerTable table, ulong workerId, ReadOnlyMemory<byte> arguments, int count, ChunkResultWriter results, CancellationToken cancellationToken)
    {
        // Every item with arguments takes at least one byte, so a larger count is corrupt (and must not size an allocation).
        if (count < 0 || count > arguments.Length + 1)
        {
            throw new WireFormatException($"Chunk claims {count:N0} items in {arguments.Length:N0} bytes of arguments.");
        }

        results.Begin();
        if (!table.TryRun(workerId, arguments, count, results, cancellationToken, out ValueTask completion))
        {
            throw new UnknownWorkerException(workerId, table.BuildId);
        }

        return completion;
    }
}
