namespace ParallelGen.Execution;

/// <summary>
/// An executor that can run a chunk for a caller that blocks until it is done (<c>Apply</c>): the calling thread may read
/// the reply itself instead of being woken by whichever thread reads it, one wake-up fewer per round trip.
/// </summary>
internal interface IBlockingExecutor
{
    /// <summary>
    /// Runs <paramref name="request"/> like <see cref="IWorkerExecutor.RunAsync"/> without a cancellation token; where it
    /// can, the calling thread reads the reply before returning (the task is then complete). Otherwise the caller waits
    /// on the task as usual.
    /// </summary>
    Task<ChunkReply> RunReading(ChunkRequest request);
}
