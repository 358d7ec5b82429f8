namespace ParallelGen.Execution;

/// <summary>
/// An executor that tells an <see cref="IChunkObserver"/> itself when a chunk settles, instead of the caller attaching a
/// continuation to the chunk's task (which, for a task whose continuations run asynchronously, costs a thread-pool work
/// item per chunk). The local process executor is one; others get a continuation.
/// </summary>
internal interface IObservingExecutor
{
    /// <summary>As <see cref="IWorkerExecutor.RunAsync"/>; <paramref name="observer"/> is told exactly once, after the task completed.</summary>
    Task<ChunkReply> RunAsync(ChunkRequest request, IChunkObserver observer, CancellationToken cancellationToken);
}
