namespace ParallelGen.Execution;

/// <summary>
/// Told once that a chunk settled (result, failure or cancellation), on the thread that settled it and right after its
/// task completed: a streaming call's bookkeeping per chunk without a hop through the thread pool. Must be quick and
/// must not throw: it runs on an executor's own thread (a worker's reply reader).
/// </summary>
internal interface IChunkObserver
{
    /// <summary>
    /// The call the chunk belongs to. Chunks of one call may wait at a worker behind each other (like a bigger chunk);
    /// chunks of different calls never do, so a call blocked on another (a consumer waiting for its producer) can't hold
    /// that other call's chunk hostage while a worker idles.
    /// </summary>
    object Call { get; }

    void Settled(Task<ChunkReply> outcome);
}
