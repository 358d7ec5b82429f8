using System.Diagnostics;

namespace ParallelGen.Hosting;

/// <summary>
/// Which item of the running chunk a worker is in and since when, for the watchdog that enforces the task timeout.
/// Written by <see cref="ChunkRunner"/> around each item (two volatile writes, only when a timeout is set), read
/// by the watchdog thread. Also times each item for the pool's insights (how long the chunk worked, its slowest item).
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

    // The running chunk's timing for the pool's insights (PoolInsights): written and read by the thread running the chunk only
    // (a worker runs one chunk at a time), so plain fields. Items are timed one by one (two clock reads each) only while they
    // take at least ItemTimingFloor on average (as the last chunk measured): below that, the clock would cost more than a
    // tiny item itself, so only the whole chunk is timed.
    private static readonly long ItemTimingFloor = Stopwatch.Frequency / 200_000;
    private static bool s_timeItems;
    private static bool s_timeNextItems = true;
    private static int s_timedItem;
    private static long s_timedStart;
    private static long s_workTicks;
    private static long s_slowestTicks;
    private static int s_slowestItem;

    /// <summary>A chunk starts: its work time and slowest item start from nothing.</summary>
    public static void BeginChunk()
    {
        s_timeItems = s_timeNextItems;
        s_workTicks = 0;
        s_slowestTicks = 0;
        s_slowestItem = 0;
    }

    /// <summary>
    /// The chunk of <paramref name="count"/> items is done after <paramref name="chunkTicks"/>: the time its items spent in the worker
    /// method and its slowest item (Stopwatch ticks). When its items were not timed one by one, all of the chunk counts as work and
    /// no slowest item is known (0 ticks).
    /// </summary>
    public static (long WorkTicks, int SlowestItem, long SlowestTicks) EndChunk(long chunkTicks, int count)
    {
        s_timeNextItems = count <= 0 || chunkTicks / count >= ItemTimingFloor;
        return s_timeItems ? (s_workTicks, s_slowestItem, s_slowestTicks) : (chunkTicks, 0, 0);
    }

    /// <summary>
    /// Whether the running chunk's items need <see cref="Start"/> and <see cref="Stop"/> at all (timed one by one, or under a
    /// task timeout). Fixed for a chunk once it began, so a runner reads it once: for a million tiny items the two calls per
    /// item cost more than the items.
    /// </summary>
    public static bool PerItem => s_timeItems || Enabled;

    public static void Start(int item)
    {
        long now = s_timeItems || Enabled ? Stopwatch.GetTimestamp() : 0;
        s_timedItem = item;
        s_timedStart = now;
        if (!Enabled)
        {
            return;
        }

        // Index first, then the time: a reader that sees this start time sees this index.
        Volatile.Write(ref s_item, item);
        Volatile.Write(ref s_startedAt, now);
    }

    public static void Stop()
    {
        if (s_timeItems)
        {
            long took = Stopwatch.GetTimestamp() - s_timedStart;
            s_workTicks += took;
            if (took > s_slowestTicks)
            {
                s_slowestTicks = took;
                s_slowestItem = s_timedItem;
            }
        }

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
