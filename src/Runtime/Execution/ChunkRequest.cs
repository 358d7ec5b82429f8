namespace ParallelGen.Execution;

/// <summary>
/// "Run <see cref="ItemCount"/> calls of <see cref="Worker"/>; their arguments are these bytes."
/// All an executor needs to know: it never sees a type, only ids and bytes.
/// </summary>
/// <param name="Worker">Which worker to run.</param>
/// <param name="ItemCount">How many calls the arguments hold.</param>
/// <param name="Arguments">The serialized arguments, item after item. Valid until the request's task completes.</param>
public readonly record struct ChunkRequest(WorkerMethod Worker, int ItemCount, ReadOnlyMemory<byte> Arguments)
{
    /// <summary>
    /// The W3C <c>traceparent</c> of the activity the chunk belongs to, or <see langword="null"/> when nothing is traced.
    /// Executors carry it to where the chunk runs, so that the worker's activities join the caller's trace.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The index of the chunk's first item in its call's input (0 for an <c>Apply</c>): lets an executor name an item, as <see cref="PoolInsights.SlowestItems"/> do.</summary>
    public int FirstItemIndex { get; init; }
}
