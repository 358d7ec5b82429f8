using ParallelGen.Exceptions;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Tests;

/// <summary>
/// Each frame layout in Protocol/ reads back what it wrote, and a malformed body fails with an error that names the frame
/// and what was wrong (the pool's reply reader and the worker turn these into a protocol error, never another exception).
/// </summary>
public sealed class ProtocolFrameTests
{
    [Fact]
    public void Frame_header_knows_exactly_the_frame_types_the_enum_defines()
    {
        Span<byte> header = stackalloc byte[ProtocolConstants.HeaderLength];
        for (int value = 0; value <= byte.MaxValue; value++)
        {
            var type = (FrameType)value;
            Assert.True(Enum.IsDefined(type) == FrameHeader.IsKnown(type), $"frame type {value}: the enum and FrameHeader.IsKnown disagree");
            FrameHeader.Write(header, type, 0);
            if (Enum.IsDefined(type))
            {
                Assert.Equal(type, FrameHeader.Parse(header, 16).Type);
            }
            else
            {
                byte[] copy = header.ToArray();
                Assert.Contains($"Unknown frame type {value}", Assert.Throws<InvalidDataException>(() => FrameHeader.Parse(copy, 16)).Message);
            }
        }
    }

    [Fact]
    public void RunPrefix_round_trips_with_and_without_a_traceparent()
    {
        var prefix = new RunPrefix(RequestId: 42, WorkerId: 0xDEAD_BEEF_0000_0001, ItemCount: 7);
        byte[] arguments = [1, 2, 3];

        byte[] plain = [.. prefix.ToArray(), .. arguments];
        RunPrefix read = RunPrefix.Read(plain, FrameType.Run, out string? noTrace, out int start);
        Assert.Equal(prefix, read);
        Assert.Null(noTrace);
        Assert.Equal(arguments, plain[start..]);

        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        Assert.True(RunPrefix.CanCarry(traceParent));
        byte[] traced = [.. prefix.ToTracedArray(traceParent), .. arguments];
        read = RunPrefix.Read(traced, FrameType.RunTraced, out string? trace, out start);
        Assert.Equal(prefix, read);
        Assert.Equal(traceParent, trace);
        Assert.Equal(arguments, traced[start..]);

        Assert.False(RunPrefix.CanCarry("é"));
        Assert.False(RunPrefix.CanCarry(new string('a', 256)));
        Assert.Throws<WireFormatException>(() => RunPrefix.Read(traced.AsSpan(0, RunPrefix.Length + 5), FrameType.RunTraced, out _, out _));
    }

    [Fact]
    public void Returned_round_trips_and_rejects_a_count_its_length_does_not_hold()
    {
        long[] ids = [3, 5, 8];
        byte[] frame = Returned.Frame(cancelled: true, ids);
        var read = Returned.Read(frame.AsSpan(ProtocolConstants.HeaderLength));
        Assert.True(read.Cancelled);
        Assert.Equal(ids.Length, read.Count);
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.Equal(ids[i], read[i]);
        }

        Assert.False(Returned.Read(Returned.Frame(cancelled: false, []).AsSpan(ProtocolConstants.HeaderLength)).Cancelled);
        var error = Assert.Throws<InvalidDataException>(() => { _ = Returned.Read(frame.AsSpan(ProtocolConstants.HeaderLength, frame.Length - ProtocolConstants.HeaderLength - 1)); });
        Assert.Contains("Returned frame", error.Message);
        Assert.Throws<InvalidDataException>(() => { _ = Returned.Read([0, 1]); });
    }

    [Fact]
    public void TimedOut_round_trips_and_names_a_wrong_length()
    {
        var timedOut = new TimedOut(RequestId: 9, Item: 2, ElapsedMilliseconds: 1500);
        byte[] body = new byte[TimedOut.Length];
        timedOut.Write(body);
        Assert.Equal(timedOut, TimedOut.Read(body));

        var error = Assert.Throws<InvalidDataException>(() => TimedOut.Read(body.AsSpan(0, 19)));
        Assert.Equal("A TimedOut frame has 19 bytes instead of 20.", error.Message);
    }

    [Fact]
    public void RequestId_is_read_back_and_a_short_body_names_its_frame()
    {
        Assert.Equal(77, RequestId.Read(RequestId.CancelBody(77), FrameType.Cancel));
        Assert.False(RequestId.TryRead(new byte[7], out _));
        var error = Assert.Throws<InvalidDataException>(() => RequestId.Read(new byte[3], FrameType.Result));
        Assert.Equal("A Result frame of 3 bytes is too short to hold its request id.", error.Message);
        Assert.Equal(1, Shutdown.ReadExitCode(Shutdown.WithExitCode(1), otherwise: 0));
        Assert.Equal(0, Shutdown.ReadExitCode([], otherwise: 0));
    }

    [Fact]
    public void ChunkReplyBody_splits_values_from_failures_and_rejects_an_offset_outside_the_reply()
    {
        using var writer = new WireWriter(256);
        int start = ChunkReplyBody.BeginValues(writer);
        writer.WriteInt32(11);
        writer.WriteInt32(13);
        ChunkReplyBody.EndValues(writer, start, [(1, RemoteExceptionInfo.From(new InvalidOperationException("item 1 failed")))]);
        byte[] body = writer.WrittenSpan.ToArray();

        ReadOnlySpan<byte> values = ChunkReplyBody.Split(body, "reply", out WireReader failures);
        var valueReader = new WireReader(values);
        Assert.Equal(11, valueReader.ReadInt32());
        Assert.Equal(13, valueReader.ReadInt32());
        valueReader.EnsureConsumed("values");
        Assert.Equal(1, failures.ReadLength(8, "failure list"));
        Assert.Equal(1, failures.ReadInt32());
        Assert.Equal("item 1 failed", RemoteExceptionInfo.Read(ref failures).Message);

        body[0] = 0xFF;
        var error = Assert.Throws<WireFormatException>(() => { _ = ChunkReplyBody.Split(body, "initializer reply", out _); });
        Assert.StartsWith("Corrupt initializer reply: the failure list offset", error.Message);
    }

    [Fact]
    public void ChunkStats_sit_between_a_replys_request_id_and_its_body_and_reject_negative_values()
    {
        var stats = new ChunkStats(WorkTicks: 12_345, SerializationTicks: 678, SlowestItem: 3, SlowestTicks: 9_000, OverMemoryBytes: 301L << 20);
        byte[] reply = new byte[ChunkStats.ReplyBodyStart + 2];
        RequestId.Write(reply, 99);
        stats.Write(reply.AsSpan(RequestId.Length));

        Assert.Equal(99, RequestId.Read(reply, FrameType.Result));
        Assert.Equal(stats, ChunkStats.ReadReply(reply));
        Assert.Equal(RequestId.Length + ChunkStats.Length, ChunkStats.ReplyBodyStart);

        Assert.Throws<InvalidDataException>(() => ChunkStats.ReadReply(reply.AsSpan(0, ChunkStats.ReplyBodyStart - 1)));
        (stats with { WorkTicks = -1 }).Write(reply.AsSpan(RequestId.Length));
        var error = Assert.Throws<InvalidDataException>(() => ChunkStats.ReadReply(reply));
        Assert.Contains("negative", error.Message, StringComparison.Ordinal);
    }
}
