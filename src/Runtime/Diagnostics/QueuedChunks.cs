namespace ParallelGen.Diagnostics;

/// <summary>
/// Chunks handed to an executor and not yet taken by a worker, over every pool in this process: the value of the
/// <c>parallelgen.queue.length</c> gauge. A plain counter, so the gauge needs no registry of live pools.
/// </summary>
internal static class QueuedChunks
{
    private static long s_count;

    public static void Enqueued() => Interlocked.Increment(ref s_count);

    public static void Dequeued() => Interlocked.Decrement(ref s_count);

    public static long Observe() => Math.Max(0, Volatile.Read(ref s_count));
}
