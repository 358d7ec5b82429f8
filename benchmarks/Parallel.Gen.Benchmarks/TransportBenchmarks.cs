using System.Diagnostics;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Benchmarks;

/// <summary>Which transport carries the frames.</summary>
public enum TransportKind
{
    /// <summary>The Unix socket (FrameChannel).</summary>
    Socket,

    /// <summary>Shared-memory rings beside the socket (SharedMemoryTransport).</summary>
    SharedMemory,
}

/// <summary>
/// The transport alone, between this process and a real second one (<see cref="TransportPeer"/>): a round trip of one
/// frame of <see cref="Size"/> bytes (echoed), and throughput (a batch of frames one way, one small acknowledgement back),
/// socket against shared memory. <see cref="MachineLimitBenchmarks"/> and <see cref="MemcpyBenchmarks"/> give the
/// machine's physical limits beside them.
/// </summary>
public class TransportBenchmarks : IDisposable
{
    private const int Batch = 32;
    private string _directory = "";
    private Process? _peer;
    private IFrameTransport? _transport;
    private byte[] _payload = [];

    [Params(TransportKind.Socket, TransportKind.SharedMemory)]
    public TransportKind Transport { get; set; }

    /// <summary>Body bytes per frame.</summary>
    [Params(64, 1024, 64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[Size];
        _directory = Directory.CreateTempSubdirectory("pgen-bench-").FullName;
        string endpoint = Path.Combine(_directory, "s");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(endpoint));
        listener.Listen(1);
        _peer = TransportPeer.Start(Transport == TransportKind.Socket ? "socket" : "shm", endpoint);
        var channel = new FrameChannel(listener.Accept());
        _transport = Transport == TransportKind.Socket ? channel : SharedMemoryTransport.Offer(channel);
        if (RoundTrip() != Size)
        {
            throw new InvalidOperationException("TransportBenchmarks: the echo came back with another length: the benchmark measures a broken path.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _transport?.Send(FrameType.Shutdown, default, default);
        _transport?.Dispose();
        if (_peer is not null && !_peer.WaitForExit(5000))
        {
            _peer.Kill();
        }

        _peer?.Dispose();
        if (_directory.Length > 0 && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>One frame there, the same frame back: what a blocking request/response pays per call.</summary>
    [Benchmark]
    public int RoundTrip()
    {
        _transport!.Send(FrameType.Run, default, _payload);
        using ReceivedFrame frame = _transport.Receive()!;
        return frame.Length;
    }

    /// <summary>Frames one way as fast as the peer takes them (per frame): bytes per second is <see cref="Size"/> / time.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int OneWay()
    {
        for (int i = 0; i < Batch; i++)
        {
            _transport!.Send(FrameType.Result, default, _payload);
        }

        _transport!.Send(FrameType.Reclaim, default, default);
        using ReceivedFrame frame = _transport.Receive()!;
        return frame.Length;
    }
}
