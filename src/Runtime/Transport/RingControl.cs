namespace ParallelGen.Transport;

/// <summary>
/// The words of one ring's control block (offsets in <see cref="RingRegion"/>), as the pointers both ends use: the
/// reader and the writer of a ring address the same five words.
/// </summary>
internal readonly unsafe struct RingControl(byte* control)
{
    /// <summary>Bytes published so far (the writer's position).</summary>
    public readonly long* Tail = (long*)(control + RingRegion.TailAt);

    /// <summary>Set once the writer closed the ring.</summary>
    public readonly int* Closed = (int*)(control + RingRegion.ClosedAt);

    /// <summary>Bytes released so far (the reader's position).</summary>
    public readonly long* Head = (long*)(control + RingRegion.HeadAt);

    /// <summary>1 while the reader sleeps (or is about to) on its futex.</summary>
    public readonly int* ReaderSleeping = (int*)(control + RingRegion.ReaderSleepingAt);

    /// <summary>1 while the writer sleeps (or is about to) waiting for room.</summary>
    public readonly int* WriterSleeping = (int*)(control + RingRegion.WriterSleepingAt);
}
