using ParallelGen.FrontEnd;
using ParallelGen.Serialization;

namespace ParallelGen.Tests;

/// <summary>
/// An array of raw values is written to a chunk in one copy (<c>FrontEnd/ChunkSource</c>); it must stop exactly where the
/// item-by-item loop stops: after the item that takes the chunk to its byte budget or past it.
/// </summary>
public sealed class ChunkSourceTests
{
    [Theory]
    [InlineData(0, 100, int.MaxValue)]
    [InlineData(0, 100, 40)]
    [InlineData(0, 100, 41)]
    [InlineData(0, 100, 39)]
    [InlineData(0, 100, 1)]
    [InlineData(0, 3, 12)]
    [InlineData(0, 3, 13)]
    [InlineData(5, 100, 40)]
    [InlineData(50, 100, 40)]
    public void A_raw_array_is_cut_where_the_item_by_item_loop_would_cut_it(int headerBytes, int size, int maxChunkBytes)
    {
        int[] items = [.. Enumerable.Range(1, 64)];
        using var writer = new WireWriter();
        var source = new ChunkSource<int>(items);
        var written = new List<int>();
        while (true)
        {
            writer.Reset();
            for (int i = 0; i < headerBytes; i++)
            {
                writer.WriteByte(0xEE);
            }

            int taken = source.Write<UnmanagedCodec<int>>(writer, size, maxChunkBytes, out bool full);
            (int expectedTaken, bool expectedFull) = ItemByItem(headerBytes, Math.Min(size, items.Length - written.Count), maxChunkBytes);
            Assert.Equal(expectedTaken, taken);
            Assert.Equal(expectedFull, full);
            Assert.Equal(headerBytes + (taken * sizeof(int)), writer.Position);

            var reader = new WireReader(writer.WrittenSpan[headerBytes..]);
            for (int i = 0; i < taken; i++)
            {
                written.Add(reader.ReadInt32());
            }

            if (taken == 0)
            {
                break;
            }
        }

        Assert.Equal(items, written);
    }

    [Theory]
    [InlineData(100, int.MaxValue)]
    [InlineData(100, 40)]
    [InlineData(100, 41)]
    [InlineData(7, 1)]
    [InlineData(3, 13)]
    public void A_raw_array_lends_its_own_bytes_cut_where_the_item_by_item_loop_would_cut_them(int size, int maxChunkBytes)
    {
        int[] items = [.. Enumerable.Range(1, 64)];
        var source = new ChunkSource<int>(items);
        var sent = new List<int>();
        while (true)
        {
            Assert.True(source.TryTakeRaw<UnmanagedCodec<int>>(size, maxChunkBytes, out ReadOnlyMemory<byte> arguments, out int taken, out bool full));
            (int expectedTaken, bool expectedFull) = ItemByItem(0, Math.Min(size, items.Length - sent.Count), maxChunkBytes);
            Assert.Equal(expectedTaken, taken);
            Assert.Equal(expectedFull, full);
            Assert.Equal(taken * sizeof(int), arguments.Length);

            // The bytes are the array's own: what the codec would have written.
            var reader = new WireReader(arguments.Span);
            for (int i = 0; i < taken; i++)
            {
                sent.Add(reader.ReadInt32());
            }

            if (taken == 0)
            {
                break;
            }
        }

        Assert.Equal(items, sent);
    }

    [Fact]
    public void Only_an_array_with_a_raw_codec_lends_its_bytes()
    {
        Assert.False(new ChunkSource<int>(Enumerable.Range(0, 10)).TryTakeRaw<UnmanagedCodec<int>>(5, int.MaxValue, out _, out _, out _));
        Assert.False(new ChunkSource<string?>(["a", "b"]).TryTakeRaw<StringCodec>(5, int.MaxValue, out _, out _, out _));
    }

    /// <summary>What the item-by-item loop takes: items until the position reaches the budget (that item included).</summary>
    private static (int Taken, bool Full) ItemByItem(int position, int available, int maxChunkBytes)
    {
        for (int i = 0; i < available; i++)
        {
            position += sizeof(int);
            if (position >= maxChunkBytes)
            {
                return (i + 1, true);
            }
        }

        return (available, false);
    }
}
