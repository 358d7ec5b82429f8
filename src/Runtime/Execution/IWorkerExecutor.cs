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
}
