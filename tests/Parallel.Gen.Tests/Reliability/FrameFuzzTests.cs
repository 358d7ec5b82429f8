using System.Buffers.Binary;
using System.Net.Sockets;
using ParallelGen.Execution;
using ParallelGen.FrontEnd;
using ParallelGen.Processes;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Tests.Reliability;

/// <summary>
/// Whatever a peer sends, the readers fail with a clear protocol error (or end of stream), never with another
/// exception, a hang or a huge allocation. Random and truncated input, from a fixed seed so failures reproduce.
/// </summary>
public sealed class FrameFuzzTests
{
    private const int Seed = 20_240_601;
    private const int MaxFrame = 4096;
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(10);

    [Fact]
    public void FrameHeader_accepts_only_known_types_and_lengths_in_range()
    {
        var random = new Random(Seed);
        byte[] header = new byte[ProtocolConstants.HeaderLength];
        for (int i = 0; i < 100_000; i++)
        {
            random.NextBytes(header);
            if (i % 4 == 0)
            {
                // Plausible lengths too, not only huge ones.
                BinaryPrimitives.WriteInt32LittleEndian(header, random.Next(-2, MaxFrame + 3));
            }

            try
            {
                FrameHeader parsed = FrameHeader.Parse(header, MaxFrame);
                Assert.True(Enum.IsDefined(parsed.Type));
                Assert.InRange(parsed.BodyLength, 0, MaxFrame - 1);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public async Task FrameChannel_async_reader_fails_cleanly_on_random_streams()
    {
        var random = new Random(Seed);
        using var pairs = new SocketPairs();
        for (int i = 0; i < 300; i++)
        {
            await ReadAllAsync(pairs, RandomStream(random), sync: false);
        }
    }

    [Fact]
    public async Task FrameChannel_blocking_reader_fails_cleanly_on_random_streams()
    {
        var random = new Random(Seed + 1);
        using var pairs = new SocketPairs();
        for (int i = 0; i < 300; i++)
        {
            await ReadAllAsync(pairs, RandomStream(random), sync: true);
        }
    }

    [Fact]
    public async Task FrameChannel_reports_a_stream_cut_anywhere_as_end_of_stream()
    {
        byte[] valid = [.. Frame(FrameType.Hello, ValidHello()), .. Frame(FrameType.Run, new byte[37]), .. Frame(FrameType.Goodbye, [0])];
        using var pairs = new SocketPairs();
        for (int cut = 0; cut <= valid.Length; cut++)
        {
            (int frames, Exception? error) = await ReadAllAsync(pairs, valid[..cut], sync: cut % 2 == 0);
            if (error is not null)
            {
                Assert.IsType<EndOfStreamException>(error);
            }
            else
            {
                Assert.True(frames is 0 or 1 or 2 or 3, $"cut at {cut}: {frames} frames");
            }
        }
    }

    [Fact]
    public void Hello_parsing_rejects_random_and_truncated_bodies_with_a_clear_error()
    {
        byte[] valid = ValidHello();
        Assert.Equal(7, Hello.Read(valid).WorkerIndex);
        for (int cut = 0; cut < valid.Length; cut++)
        {
            AssertProtocolError(() => Hello.Read(valid.AsSpan(0, cut)));
        }

        var random = new Random(Seed);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] body = new byte[random.Next(0, 120)];
            random.NextBytes(body);
            if (i % 2 == 0 && body.Length >= 6)
            {
                // Past the magic and version, so the fields behind them are fuzzed too.
                valid.AsSpan(0, 6).CopyTo(body);
            }

            try
            {
                _ = Hello.Read(body);
            }
            catch (Exception e) when (e is InvalidDataException or WireFormatException)
            {
            }
        }
    }

    [Fact]
    public void Chunk_replies_from_a_peer_decode_or_fail_as_a_worker_exception_never_otherwise()
    {
        var random = new Random(Seed);
        var worker = new WorkerMethod(1, "Fuzz.Worker(int)");
        for (int i = 0; i < 20_000; i++)
        {
            byte[] body = new byte[random.Next(0, 64)];
            random.NextBytes(body);
            if (i % 2 == 0 && body.Length >= 4)
            {
                BinaryPrimitives.WriteInt32LittleEndian(body, random.Next(0, body.Length + 2));
            }

            int count = random.Next(1, 6);
            bool fault = i % 7 == 0;
            // Decoding consumes (disposes) a reply: one per decoder.
            _ = ChunkDecoder.Decode<int, UnmanagedCodec<int>>(new CompletedChunk(0, count, Reply(body, fault)), worker, new int[count]);
            _ = ChunkDecoder.Decode<string?, StringCodec>(new CompletedChunk(0, count, Reply(body, fault)), worker, new string?[count]);
            try
            {
                _ = InitializerReply.ReadFailure(body, fault);
            }
            catch (WireFormatException)
            {
            }
        }
    }

    private static Task<ChunkReply> Reply(byte[] body, bool fault) => Task.FromResult(new ChunkReply(body, 0, body.Length, fault, workerProcessId: 1, pooled: false));

    private static void AssertProtocolError(Action read)
    {
        Exception? error = Record.Exception(read);
        Assert.True(error is InvalidDataException or WireFormatException, $"expected a protocol error, got {error?.GetType().Name ?? "none"}: {error?.Message}");
    }

    private static byte[] ValidHello()
    {
        using var writer = new WireWriter();
        new Hello(new byte[ProtocolConstants.SecretLength], 1234, 7, "Fuzz/0123456789ab").Write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Frame(FrameType type, byte[] body)
    {
        byte[] frame = new byte[ProtocolConstants.HeaderLength + body.Length];
        FrameHeader.Write(frame, type, body.Length);
        body.CopyTo(frame, ProtocolConstants.HeaderLength);
        return frame;
    }

    /// <summary>Random bytes, often starting with well-formed frames so the reader gets past the first header.</summary>
    private static byte[] RandomStream(Random random)
    {
        var stream = new List<byte>();
        int frames = random.Next(0, 4);
        for (int f = 0; f < frames; f++)
        {
            byte[] body = new byte[random.Next(0, 200)];
            random.NextBytes(body);
            stream.AddRange(Frame((FrameType)random.Next(1, 10), body));
        }

        byte[] tail = new byte[random.Next(0, 40)];
        random.NextBytes(tail);
        stream.AddRange(tail);
        return [.. stream];
    }

    /// <summary>Writes <paramref name="bytes"/> then closes; reads frames until the end. Returns the frames read and the error that ended it.</summary>
    private static async Task<(int Frames, Exception? Error)> ReadAllAsync(SocketPairs pairs, byte[] bytes, bool sync)
    {
        (Socket writer, Socket reader) = await pairs.NextAsync();
        using (writer)
        using (var channel = new FrameChannel(reader, MaxFrame))
        {
            writer.Send(bytes);
            writer.Shutdown(SocketShutdown.Send);
            int frames = 0;
            try
            {
                while (true)
                {
                    ReceivedFrame? frame = sync
                        ? await Task.Run(() => channel.Receive()).WaitAsync(NoHang)
                        : await channel.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(NoHang);
                    if (frame is null)
                    {
                        return (frames, null);
                    }

                    Assert.True(frame.Length < MaxFrame);
                    frame.Dispose();
                    frames++;
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                return (frames, e);
            }
        }
    }

    /// <summary>Connected Unix socket pairs from one listener in a private temp directory.</summary>
    private sealed class SocketPairs : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("pgf-").FullName;
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly UnixDomainSocketEndPoint _endpoint;

        public SocketPairs()
        {
            _endpoint = new UnixDomainSocketEndPoint(Path.Combine(_directory, "s"));
            _listener.Bind(_endpoint);
            _listener.Listen(8);
        }

        public async Task<(Socket Writer, Socket Reader)> NextAsync()
        {
            var writer = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            writer.Connect(_endpoint);
            return (writer, await _listener.AcceptAsync());
        }

        public void Dispose()
        {
            _listener.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
