using System.Buffers.Binary;
using System.Diagnostics;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Tests.Transport;

/// <summary>The shared-memory transport between this process and a real second one: frames, wrap-around, streaming, death, cleanup.</summary>
public sealed class SharedMemoryTransportTests
{
    private const int SmallRing = RingRegion.MinCapacity;
    private const int Seed = 20_261_206;
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Frames_of_random_sizes_round_trip_through_a_small_ring_including_wrap_around_and_frames_larger_than_it()
    {
        using RingPeer peer = await RingPeer.StartAsync(SmallRing);
        var random = new Random(Seed);
        for (int i = 0; i < 400; i++)
        {
            // Mostly small (many wrap-arounds of a 4 KiB ring at odd offsets), some several times the ring.
            int length = i % 10 == 9 ? random.Next(SmallRing, SmallRing * 20) : random.Next(0, 600);
            byte[] payload = new byte[length];
            random.NextBytes(payload);
            byte[] prefix = [(byte)i, (byte)(i >> 8)];
            peer.Transport.Send(FrameType.Result, prefix, payload);
            using ReceivedFrame echo = peer.Transport.Receive() ?? throw new Xunit.Sdk.XunitException($"The peer closed after {i} frames.");
            Assert.Equal(FrameType.Result, echo.Type);
            Assert.Equal(prefix.Length + length, echo.Length);
            Assert.True(echo.Body[..2].SequenceEqual(prefix), $"frame {i}: prefix differs");
            Assert.True(echo.Body[2..].SequenceEqual(payload), $"frame {i} of {length} bytes came back different");
        }
    }

    [Fact]
    public async Task Many_frames_written_at_once_all_arrive_in_order()
    {
        using RingPeer peer = await RingPeer.StartAsync(RingRegion.MinCapacity * 16);
        const int Count = 2000;
        const int FrameBytes = ProtocolConstants.HeaderLength + 4;
        byte[] batch = new byte[Count * FrameBytes];
        for (int i = 0; i < Count; i++)
        {
            Span<byte> frame = batch.AsSpan(i * FrameBytes, FrameBytes);
            BinaryPrimitives.WriteInt32LittleEndian(frame[ProtocolConstants.HeaderLength..], i);
            FrameHeader.Write(frame, FrameType.Run, 4);
        }

        // One publish of 2000 frames (larger than the ring: it streams); the echoes come back as the peer drains them.
        Task send = Task.Run(() => peer.Transport.SendFrames(batch), TestContext.Current.CancellationToken);
        for (int i = 0; i < Count; i++)
        {
            using ReceivedFrame echo = peer.Transport.Receive() ?? throw new Xunit.Sdk.XunitException($"The peer closed after {i} frames.");
            Assert.Equal(FrameType.Run, echo.Type);
            Assert.Equal(i, BinaryPrimitives.ReadInt32LittleEndian(echo.Body));
        }

        await send.WaitAsync(Prompt, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Async_receive_and_send_round_trip_and_a_cancelled_receive_throws()
    {
        using RingPeer peer = await RingPeer.StartAsync(SmallRing);
        byte[] payload = new byte[SmallRing * 3];
        new Random(Seed).NextBytes(payload);
        await peer.Transport.SendAsync(FrameType.BrokerRequest, new byte[] { 7 }, payload, CancellationToken.None);
        using (ReceivedFrame? echo = await peer.Transport.ReceiveAsync(CancellationToken.None))
        {
            Assert.NotNull(echo);
            Assert.True(echo.Body[1..].SequenceEqual(payload));
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await peer.Transport.ReceiveAsync(cancel.Token));

        // The transport still works after a cancelled wait.
        peer.Transport.Send(FrameType.Run, [1, 2, 3], default);
        using ReceivedFrame? after = await peer.Transport.ReceiveAsync(CancellationToken.None);
        Assert.Equal([1, 2, 3], after!.Body.ToArray());
    }

    [Fact]
    public async Task Killing_the_peer_ends_a_blocked_receive_promptly_and_a_send_fails()
    {
        using RingPeer peer = await RingPeer.StartAsync(SmallRing);
        var stopwatch = new Stopwatch();
        Task<ReceivedFrame?> blocked = Task.Factory.StartNew(() => peer.Transport.Receive(), TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(blocked.IsCompleted);

        stopwatch.Start();
        peer.Host.Process.Kill();
        ReceivedFrame? frame = await blocked.WaitAsync(Prompt, TestContext.Current.CancellationToken);
        stopwatch.Stop();

        Assert.Null(frame);
        Assert.True(stopwatch.Elapsed < Prompt, $"the receive took {stopwatch.Elapsed} to notice");
        Assert.Throws<IOException>(() => peer.Transport.Send(FrameType.Run, [1], default));
    }

    [Fact]
    public async Task Killing_the_peer_ends_a_send_blocked_on_a_full_ring()
    {
        using RingPeer peer = await RingPeer.StartAsync(SmallRing);

        // The peer echoes each frame before reading the next, and nobody here reads the echoes: both rings fill and the sends
        // block. One thread sends them all, one after another: a ring has one writer at a time (IFrameTransport's contract;
        // two threads writing at once interleave their frames, and the peer then leaves on a garbled frame, not on the kill).
        byte[] big = new byte[SmallRing * 64];
        Task sends = Task.Factory.StartNew(
            () =>
            {
                peer.Transport.Send(FrameType.Run, default, big);
                for (int i = 0; i < 64; i++)
                {
                    peer.Transport.Send(FrameType.Run, default, new byte[SmallRing]);
                }
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(sends.IsCompleted);

        peer.Host.Process.Kill();
        await Assert.ThrowsAsync<IOException>(() => sends.WaitAsync(Prompt, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_disposed_peer_closes_cleanly_and_a_disposed_side_ends_its_own_blocked_receive()
    {
        using RingPeer peer = await RingPeer.StartAsync(SmallRing);
        peer.Transport.Send(FrameType.Run, [42], default);
        using (ReceivedFrame? echo = peer.Transport.Receive())
        {
            Assert.Equal([42], echo!.Body.ToArray());
        }

        Task<ReceivedFrame?> blocked = Task.Factory.StartNew(() => peer.Transport.Receive(), TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        peer.Transport.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => blocked.WaitAsync(Prompt, TestContext.Current.CancellationToken));

        // The peer saw the goodbye on its ring and exited on its own.
        Assert.True(peer.Host.Process.WaitForExit(Prompt), "the peer did not exit after the transport closed");
        Assert.Equal(0, peer.Host.Process.ExitCode);
    }

    [Fact]
    public async Task The_region_is_unlinked_once_both_sides_have_it_and_unmapped_after_dispose()
    {
        string path;
        using (RingPeer peer = await RingPeer.StartAsync(SmallRing))
        {
            path = peer.Transport.RegionPath;
            Assert.StartsWith(RingRegion.Directory, path, StringComparison.Ordinal);
            Assert.False(File.Exists(path), $"{path} still has a name after the peer mapped it");
            Assert.Contains(path, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(path, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_region_is_private_to_this_user_and_a_peer_refuses_one_that_is_not()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (RingRegion region = RingRegion.Create(SmallRing))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(region.Path));
            File.SetUnixFileMode(region.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            InvalidDataException error = Assert.Throws<InvalidDataException>(() => RingRegion.Open(region.Path, SmallRing));
            Assert.Contains("not private", error.Message, StringComparison.Ordinal);
            region.Unlink();
            Assert.False(File.Exists(region.Path));
        }

        Assert.Throws<InvalidDataException>(() => RingRegion.Open("/tmp/not-a-ring", SmallRing));
        Assert.Throws<InvalidDataException>(() => RingRegion.Open(Path.Combine(RingRegion.Directory, "pgen-ring-" + new string('0', 32)), 5000));
    }
}
