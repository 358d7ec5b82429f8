using System.Buffers.Binary;
using System.Diagnostics;

namespace ParallelGen.Protocol;

/// <summary>
/// What a worker measured while running a chunk, sent with its reply (after the <see cref="RequestId"/> of every Result and Fault
/// frame, before the <see cref="ChunkReplyBody"/>): the
/// time its items spent in the worker method, the time the rest of the chunk took (reading arguments, writing results), its slowest
/// item, and, when the worker's resident set is over MaxMemoryPerChild, that size (0 otherwise: the parent then replaces the worker
/// once it holds nothing). Times in <see cref="TimeSpan"/> ticks.
/// </summary>
internal readonly record struct ChunkStats(long WorkTicks, long SerializationTicks, int SlowestItem, long SlowestTicks, long OverMemoryBytes)
{
    /// <summary>Bytes on the wire.</summary>
    public const int Length = 36;

    /// <summary>Where a Result or Fault reply's <see cref="ChunkReplyBody"/> starts: after its request id and these stats.</summary>
    public const int ReplyBodyStart = RequestId.Length + Length;

    /// <summary>Reads the stats of a Result or Fault frame's <paramref name="body"/> (which opens with the request id).</summary>
    public static ChunkStats ReadReply(ReadOnlySpan<byte> body) => Read(body[Math.Min(RequestId.Length, body.Length)..]);

    /// <summary>From what the worker measured in <see cref="Stopwatch"/> ticks.</summary>
    public static ChunkStats FromStopwatch(long chunkTicks, long workTicks, int slowestItem, long slowestTicks, long overMemoryBytes) =>
        new(ToTimeSpanTicks(workTicks), ToTimeSpanTicks(Math.Max(0, chunkTicks - workTicks)), slowestItem, ToTimeSpanTicks(slowestTicks), overMemoryBytes);

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, WorkTicks);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], SerializationTicks);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], SlowestItem);
        BinaryPrimitives.WriteInt64LittleEndian(destination[20..], SlowestTicks);
        BinaryPrimitives.WriteInt64LittleEndian(destination[28..], OverMemoryBytes);
    }

    /// <summary>Reads and checks the stats; a worker that sends nonsense broke the protocol.</summary>
    public static ChunkStats Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Length)
        {
            throw new InvalidDataException($"A reply of {source.Length} bytes after its request id is too short to hold the chunk's {Length} bytes of timing.");
        }

        var stats = new ChunkStats(
            BinaryPrimitives.ReadInt64LittleEndian(source),
            BinaryPrimitives.ReadInt64LittleEndian(source[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(source[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[20..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[28..]));
        if (stats.WorkTicks < 0 || stats.SerializationTicks < 0 || stats.SlowestItem < 0 || stats.SlowestTicks < 0 || stats.OverMemoryBytes < 0)
        {
            throw new InvalidDataException("A reply's chunk timing holds negative values.");
        }

        return stats;
    }

    private static long ToTimeSpanTicks(long stopwatchTicks) => (long)(stopwatchTicks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
}
