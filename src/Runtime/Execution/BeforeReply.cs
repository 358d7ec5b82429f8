namespace ParallelGen.Execution;

/// <summary>
/// What must be finished before anyone learns that a chunk is done, registered by the features that need it, so that
/// whatever runs chunks calls <see cref="Settle"/> without knowing which features exist. Today one: a
/// <c>ProcessQueue</c>'s puts that were posted without waiting for the broker must be in their queue before the
/// task's result is seen (the broker's sessions register on their first posted put).
/// </summary>
internal static class BeforeReply
{
    private static Action? s_settle;

    /// <summary>Adds <paramref name="settle"/>; it runs on the serving thread after every chunk and may throw (the chunk then fails).</summary>
    public static void Register(Action settle)
    {
        ArgumentNullException.ThrowIfNull(settle);
        Action? seen;
        do
        {
            seen = Volatile.Read(ref s_settle);
        }
        while (Interlocked.CompareExchange(ref s_settle, seen + settle, seen) != seen);
    }

    /// <summary>Runs what was registered; nothing (one read) in a process that registered nothing.</summary>
    public static void Settle() => Volatile.Read(ref s_settle)?.Invoke();
}