using System.Diagnostics;

namespace ParallelGen.Hosting;

/// <summary>
/// Which item of the running chunk a worker is in and since when, for the watchdog that enforces the task timeout.
/// Written by <see cref="ChunkRunner"/> around each item (two volatile writes, only when a timeout is set), read
/// by the watchdog thread.
/// </summary>
internal static class ItemClock
{
    private static bool s_enabled;
    private static int s_item;
    private static long s_startedAt;

    /// <summary>Turned on for the chunks the task timeout applies to.</summary>
    public static bool Enabled
    {
        get => Volatile.Read(ref s_enabled);
        set => Volatile.Write(ref s_enabled, value);
    }

    public static void Start(int item)
    {
        if (!Enabled)
        {
            return;
        }

        // Index first, then the time: a reader that sees this start time sees this index.
        Volatile.Write(ref s_item, item);
        Volatile.Write(ref s_startedAt, Stopwatch.GetTimestamp());
    }

    public static void Stop()
    {
        if (Enabled)
        {
            Volatile.Write(ref s_startedAt, 0);
        }
    }

    /// <summary>The running item and its start time, or <see langword="false"/> when no item runs.</summary>
    public static bool TryRead(out int item, out long startedAt)
    {
        while (true)
        {
            long before = Volatile.Read(ref s_startedAt);
            item = Volatile.Read(ref s_item);
            startedAt = Volatile.Read(ref s_startedAt);
            if (before == startedAt)
            {
                return startedAt != 0;
            }
        }
    }

    /// <summary>Whether the item that started at <paramref name="startedAt"/> is still running.</summary>
    public static bool IsStill(long startedAt) => Volatile.Read(ref s_startedAt) == startedAt;
}
