namespace ParallelGen.Execution;

/// <summary>
/// Told once that a chunk settled (result, failure or cancellation), on the thread that settled it and right after its
/// task completed: a streaming call's bookkeeping per chunk without a hop through the thread pool. Must be quick and
/// must not throw: it runs on an executor's own thread (a worker's reply reader).
/// </summary>
internal interface IChunkObserver
{
    void Settled(Task<ChunkReply> outcome);
}
