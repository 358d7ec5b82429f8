using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using ParallelGen.Platform;
using ParallelGen.Transport;

namespace ParallelGen.Benchmarks;

/// <summary>
/// This machine's floor for a round trip between two processes through shared memory, beside
/// <see cref="TransportBenchmarks"/>: a raw futex ping-pong (both sides sleep, every hop a FUTEX_WAKE system call and a
/// wake-up) and a spinning ping-pong (both sides spin on a word: the cache-line transfer alone).
/// </summary>
public unsafe class MachineLimitBenchmarks : IDisposable
{
    private RingRegion? _region;
    private Process? _peer;
    private int _sequence;

    [Params("futex", "spin")]
    public string Mode { get; set; } = "futex";

    [GlobalSetup]
    public void Setup()
    {
        _region = RingRegion.Create(RingRegion.MinCapacity);
        _region.Enter();
        _peer = TransportPeer.Start(Mode, _region.Path);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        if (_region is not null && _peer is not null)
        {
            int* ask = TransportPeer.AskWord(_region);
            Volatile.Write(ref *ask, -1);
            Futex.Wake(ask, 1);
            if (!_peer.WaitForExit(5000))
            {
                _peer.Kill();
            }

            _peer.Dispose();
            _region.Exit();
            _region.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>One number there and back.</summary>
    [Benchmark]
    public int PingPong()
    {
        int* ask = TransportPeer.AskWord(_region!);
        int* answer = TransportPeer.AnswerWord(_region!);
        int value = ++_sequence;
        Volatile.Write(ref *ask, value);
        if (Mode == "spin")
        {
            while (Volatile.Read(ref *answer) != value)
            {
                Thread.SpinWait(1);
            }

            return value;
        }

        Futex.Wake(ask, 1);
        int seen;
        while ((seen = Volatile.Read(ref *answer)) != value)
        {
            Futex.Wait(answer, seen, -1);
        }

        return value;
    }
}

/// <summary>Copying <see cref="Size"/> bytes in memory: the bandwidth limit for a transport that copies each frame in and out once.</summary>
public class MemcpyBenchmarks
{
    private byte[] _source = [];
    private byte[] _destination = [];

    [Params(64, 1024, 64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _source = new byte[Size];
        _destination = new byte[Size];
    }

    [Benchmark]
    public void Memcpy() => _source.AsSpan().CopyTo(_destination);
}
