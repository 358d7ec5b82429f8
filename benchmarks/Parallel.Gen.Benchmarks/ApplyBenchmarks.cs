using BenchmarkDotNet.Attributes;

namespace ParallelGen.Benchmarks;

/// <summary>
/// The sequential <c>Apply</c> round trip A/B in one run: with the blocked caller reading its own reply from the
/// worker's transport (<c>CallersRead</c>, the default) and with the conversation's reply thread reading it and waking
/// the caller (the path before). <c>ApplyAsync</c> beside it, which always goes through the reply thread. Pool of 2,
/// shared-memory transport (what a pool on Linux uses); one pool per parameter value.
/// </summary>
[MemoryDiagnoser]
public class ApplyBenchmarks : IDisposable
{
    private ProcessPool _pool = null!;

    /// <summary>Whether a blocked caller reads its own reply (internal <c>ProcessPoolOptions.CallersRead</c>).</summary>
    [Params(true, false)]
    public bool CallersRead { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, Transport = WorkerTransport.SharedMemory, CallersRead = CallersRead });
        for (int i = 0; i < 1_000; i++)
        {
            if (_pool.Apply(Workers.Trivial, i) != i + 1)
            {
                throw new InvalidOperationException($"Apply(Trivial, {i}) returned the wrong result.");
            }
        }

        // The path under test is the one taken: callers read (nearly) every reply, or none.
        long read = _pool.RepliesReadByCallers;
        if (CallersRead ? read < 900 : read != 0)
        {
            throw new InvalidOperationException($"{read} of 1,000 warm-up replies were read by their callers with CallersRead = {CallersRead}.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _pool?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One sequential <c>Apply</c>: the caller blocks until the worker's reply is back.</summary>
    [Benchmark]
    public int Apply() => _pool.Apply(Workers.Trivial, 1);

    /// <summary>One sequential <c>ApplyAsync</c>, awaited at once (the reply thread reads; the caller is woken through the task).</summary>
    [Benchmark]
    public int ApplyAsyncAwaited() => _pool.ApplyAsync(Workers.Trivial, 1).GetAwaiter().GetResult();
}
