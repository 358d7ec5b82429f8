using BenchmarkDotNet.Attributes;

namespace ParallelGen.Benchmarks;

/// <summary>
/// <c>using (v.Lock()) v.Value++</c> on a <see cref="SharedValue{T}"/>: uncontended in this process, and
/// by both workers of a pool at once (value_array.py: 2 processes x 100,000 locked increments).
/// </summary>
/// <remarks>
/// The two calls start a pool round trip apart and nothing lines them up, and the lock is not fair (a holder
/// that releases and re-takes it usually wins), so this measures bursts more than hand-offs: the contended
/// rate with both children held at a start line is benchmarks/Compare's SharedValue row.
/// </remarks>
[MemoryDiagnoser]
public class SharedValueBenchmarks : IDisposable
{
    private const int PerWorker = 100_000;

    private ProcessPool _pool = null!;
    private SharedValue<int> _value = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new ProcessPool(processes: 2);
        _value = new SharedValue<int>(0);
        int before = _value.Value;
        TwoWorkers();
        if (_value.Value != before + (2 * PerWorker))
        {
            throw new InvalidOperationException($"SharedValueBenchmarks: {2 * PerWorker} locked increments gave {_value.Value - before}: the lock lost updates.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _pool?.Dispose();
        _value?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One locked increment with nobody else wanting the lock: a compare-and-swap in, a store out.</summary>
    [Benchmark]
    public int Uncontended()
    {
        using (_value.Lock())
        {
            return ++_value.Value;
        }
    }

    /// <summary>Both pool workers increment, 100,000 each, their calls sent together; per increment.</summary>
    [Benchmark(OperationsPerInvoke = 2 * PerWorker)]
    public void TwoWorkers()
    {
        Task a = _pool.ApplyAsync(Workers.IncrementLocked, _value, PerWorker);
        Task b = _pool.ApplyAsync(Workers.IncrementLocked, _value, PerWorker);
        Task.WaitAll(a, b);
    }
}
