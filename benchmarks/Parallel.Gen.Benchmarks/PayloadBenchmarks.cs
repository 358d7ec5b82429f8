using BenchmarkDotNet.Attributes;

namespace ParallelGen.Benchmarks;

/// <summary>
/// 64 MiB to a worker: as a <c>byte[]</c> by value (copied into the frame, through the socket, into a new array
/// in the worker), and through a <see cref="SharedArray{T}"/> that the worker scans in place. "Fresh" is a
/// new block per call (the worker maps it the first time: page-table work for 64 MiB, then unmaps it); "reused" is the
/// same block again (workers keep their mapping, so it costs a read of memory).
/// </summary>
[MemoryDiagnoser]
public class PayloadBenchmarks : IDisposable
{
    private const int Size = 64 * 1024 * 1024;
    private const byte Fill = 7;

    private ProcessPool _pool = null!;
    private byte[] _bytes = [];
    private SharedArray<byte> _reused = null!;
    private SharedArray<byte>? _fresh;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new ProcessPool(processes: 2);
        _bytes = new byte[Size];
        _bytes.AsSpan().Fill(Fill);
        _reused = new SharedArray<byte>(_bytes);
        Check(_pool.Apply(Workers.Length, _bytes) == Size && _pool.Apply(Workers.ScanShared, _reused, Fill) == Size);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _fresh?.Dispose();
        _reused?.Dispose();
        _pool?.Dispose();
        GC.SuppressFinalize(this);
    }

    [IterationSetup(Target = nameof(SharedArrayFresh))]
    public void NewBlock() => _fresh = new SharedArray<byte>(_bytes);

    [IterationCleanup(Target = nameof(SharedArrayFresh))]
    public void DropBlock()
    {
        _fresh?.Dispose();
        _fresh = null;
    }

    /// <summary>64 MiB by value to one worker, which returns its length.</summary>
    [Benchmark]
    public int ByValue() => _pool.Apply(Workers.Length, _bytes);

    /// <summary>A 64 MiB shared block the worker has not seen yet: the worker maps it and reads every byte.</summary>
    [Benchmark]
    public int SharedArrayFresh() => _pool.Apply(Workers.ScanSharedOnce, _fresh!, Fill);

    /// <summary>The same 64 MiB shared block again: the worker's mapping is kept, it reads every byte.</summary>
    [Benchmark]
    public int SharedArrayReused() => _pool.Apply(Workers.ScanShared, _reused, Fill);

    private static void Check(bool ok)
    {
        if (!ok)
        {
            throw new InvalidOperationException("PayloadBenchmarks: a worker saw a different payload than was sent.");
        }
    }
}
