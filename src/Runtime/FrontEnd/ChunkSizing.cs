namespace ParallelGen.FrontEnd;

/// <summary>How many items go in one chunk when the caller does not say.</summary>
internal static class ChunkSizing
{
    /// <summary>Largest chunk the adaptive policy grows to for inputs of unknown length.</summary>
    public const int MaxAdaptiveChunk = 1024;

    /// <summary>
    /// Known length: Python's rule, <c>ceil(n / (4 * processes))</c>, so each worker gets about four chunks.
    /// Unknown length (a lazy sequence that must not be materialized): start at 1 item and double per chunk
    /// up to <see cref="MaxAdaptiveChunk"/>, so first results come quickly and long inputs still batch well.
    /// </summary>
    public static ChunkSizer For(int? chunkSize, int? count, int processes)
    {
        if (chunkSize is int fixedSize)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(fixedSize, 1, nameof(chunkSize));
            return new ChunkSizer(fixedSize, fixedSize);
        }

        if (count is int n)
        {
            int size = (int)Math.Max(1, ((long)n + (4L * processes) - 1) / (4L * processes));
            return new ChunkSizer(size, size);
        }

        return new ChunkSizer(1, MaxAdaptiveChunk);
    }
}

/// <summary>Yields successive chunk sizes: <c>initial</c>, doubling up to <c>max</c>.</summary>
internal struct ChunkSizer(int initial, int max)
{
    private int _next = initial;

    public int Next()
    {
        int size = _next;
        _next = (int)Math.Min((long)_next * 2, max);
        return size;
    }
}
