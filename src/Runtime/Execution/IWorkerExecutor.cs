namespace ParallelGen.Execution;

/// <summary>
/// Moves chunks of work to somewhere that has the generated dispatch table and brings the bytes
/// back. Local worker processes are one executor; a cluster is another. The pool front end
/// (chunking, ordering, progress, cancellation) and the generated code never know which runs them.
/// </summary>
public interface IWorkerExecutor : IAsyncDisposable
{
    /// <summary>How many chunks can run at the same time (e.g. the number of worker processes); sizes default chunks and the in-flight bound.</summary>
    int Concurrency { get; }

    /// <summary>
    /// Runs a chunk. The task faults with <see cref="WorkerCrashedException"/> when whatever ran it died (the front end
    /// attaches the item indices), or with <see cref="TaskTimeoutException"/>. <paramref name="cancellationToken"/> drops
    /// the chunk while it is queued; while it runs, the executor passes the cancellation on to the worker (and may stop a
    /// worker that ignores it). The task completes only once nothing reads <see cref="ChunkRequest.Arguments"/> any more.
    /// </summary>
    Task<ChunkReply> RunAsync(ChunkRequest request, CancellationToken cancellationToken);

    /// <summary>Lets queued and running chunks finish, then stops every worker cleanly.</summary>
    Task DrainAsync();

    /// <summary>Stops every worker now; queued and running chunks fail.</summary>
    void Terminate();

    /// <summary>
    /// The front end closes a chunk once its arguments reach this many bytes, so that no message exceeds what the
    /// transport carries (an Orleans message has a size limit). A single larger item still travels alone.
    /// </summary>
    int MaxChunkBytes => int.MaxValue;

    /// <summary>
    /// How many small chunks (arguments up to <see cref="SmallChunkBytes"/>) a streaming call keeps in flight at most, counting
    /// those completed but not yet consumed. An executor that lets a worker hold several small chunks at once asks for more
    /// than the default <c>3 × Concurrency</c>, so that every worker has its next chunks at hand and a burst of replies is
    /// taken in one go; larger chunks stay at <c>3 × Concurrency</c>.
    /// </summary>
    int MaxSmallChunksInFlight => Concurrency * 3;

    /// <summary>Arguments up to this many bytes make a small chunk (see <see cref="MaxSmallChunksInFlight"/>).</summary>
    public const int SmallChunkBytes = 16 * 1024;
}
