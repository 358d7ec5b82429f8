using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Benchmarks;

/// <summary>
/// The wire under every pool call: a Run frame (5-byte header, the 20-byte request prefix, then the items)
/// encoded with <see cref="WireWriter"/> and decoded with <see cref="FrameHeader"/> and <see cref="WireReader"/>,
/// in memory; and one small frame through <see cref="FrameChannel"/> over a real Unix socket, both ends in
/// this process (the system calls, not a wake-up of another process).
/// </summary>
[MemoryDiagnoser]
public class FrameBenchmarks : IDisposable
{
    private const int HeaderLength = ProtocolConstants.HeaderLength;

    private readonly WireWriter _writer = new(64 * 1024);
    private readonly byte[] _prefix = new byte[20];
    private readonly byte[] _smallPayload = new byte[4];
    private byte[] _encoded = [];
    private string _directory = "";
    private FrameChannel? _sender;
    private FrameChannel? _receiver;

    /// <summary>Items (ints) in the frame's body.</summary>
    [Params(1, 1_000)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        EncodeRunFrame();
        _encoded = _writer.WrittenSpan.ToArray();
        if (DecodeRunFrame() != (long)Items * (Items - 1) / 2)
        {
            throw new InvalidOperationException("FrameBenchmarks: decoding the encoded frame gave a different sum: the benchmark measures a broken path.");
        }

        // A connected pair of Unix sockets in a private temp directory (removed in Cleanup).
        _directory = Directory.CreateTempSubdirectory("pgen-bench-").FullName;
        var endpoint = new UnixDomainSocketEndPoint(Path.Combine(_directory, "s"));
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(endpoint);
        listener.Listen(1);
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(endpoint);
        _sender = new FrameChannel(client);
        _receiver = new FrameChannel(listener.Accept());
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _sender?.Dispose();
        _receiver?.Dispose();
        _writer.Dispose();
        if (_directory.Length > 0 && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Header, prefix and <see cref="Items"/> ints into a reused buffer, as the parent builds a Run frame.</summary>
    [Benchmark]
    public int EncodeRunFrame()
    {
        WireWriter writer = _writer;
        writer.Reset();
        writer.GetSpan(HeaderLength);
        writer.Advance(HeaderLength);
        writer.WriteInt64(42);
        writer.WriteUnmanaged(0x3982b79ec13bd544UL);
        writer.WriteInt32(Items);
        for (int i = 0; i < Items; i++)
        {
            UnmanagedCodec<int>.Write(writer, i);
        }

        FrameHeader.Write(writer.WrittenBuffer, FrameType.Run, writer.Position - HeaderLength);
        return writer.Position;
    }

    /// <summary>Validates the header and reads the prefix and every item back, as the worker loop does.</summary>
    [Benchmark]
    public long DecodeRunFrame()
    {
        ReadOnlySpan<byte> frame = _encoded.Length > 0 ? _encoded : _writer.WrittenSpan;
        FrameHeader header = FrameHeader.Parse(frame, ProtocolConstants.DefaultMaxFrameLength);
        var reader = new WireReader(frame.Slice(HeaderLength, header.BodyLength));
        reader.ReadInt64();
        reader.ReadUnmanaged<ulong>();
        int count = reader.ReadInt32();
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += UnmanagedCodec<int>.Read(ref reader);
        }

        reader.EnsureConsumed("the benchmark frame");
        return sum;
    }

    /// <summary>One Run-sized frame (25 + 4 bytes) sent and received through the socket: two system calls and the channel's buffering.</summary>
    [Benchmark]
    public async Task<int> SendReceiveSmallFrame()
    {
        await _sender!.SendAsync(FrameType.Run, _prefix, _smallPayload, CancellationToken.None).ConfigureAwait(false);
        using ReceivedFrame frame = (await _receiver!.ReceiveAsync(CancellationToken.None).ConfigureAwait(false))!;
        return frame.Length;
    }
}
