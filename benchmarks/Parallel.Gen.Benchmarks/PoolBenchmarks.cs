using BenchmarkDotNet.Attributes;

namespace ParallelGen.Benchmarks;

/// <summary>
/// The pool end to end, on a warm <see cref="ProcessPool"/> of 2 workers (this exe started twice):
/// one <c>Apply</c> round trip, <c>Map</c> of 1M ints, <c>ImapUnordered</c> of 100k (chunks of 100) and of 20k (chunks of 1).
/// </summary>
[MemoryDiagnoser]
public class PoolBenchmarks : IDisposable
{
    private const int MapItems = 1_000_000;
    private const int ImapItems = 100_000;

    /// <summary>Items of <see cref="ImapUnorderedChunk1"/>.</summary>
    internal const int ImapChunk1Items = 20_000;

    private ProcessPool _pool = null!;
    private int[] _items = [];

    [GlobalSetup]
    public void Setup()
    {
        _pool = new ProcessPool(processes: 2);
        _items = [.. Enumerable.Range(0, MapItems)];
        _pool.Map(Workers.Square, _items);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _pool?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One sequential <c>Apply</c>: the caller blocks until the worker's reply is back.</summary>
    [Benchmark]
    public int ApplyRoundTrip() => _pool.Apply(Workers.Trivial, 1);

    /// <summary><c>Map</c> of 1,000,000 tiny tasks with the default chunk size (ceil(n / (4 x workers))).</summary>
    [Benchmark(OperationsPerInvoke = MapItems)]
    public int MapMillionInts() => _pool.Map(Workers.Square, _items).Length;

    /// <summary><c>ImapUnordered</c> of 100,000 tiny tasks in chunks of 100, results streamed as they come.</summary>
    [Benchmark(OperationsPerInvoke = ImapItems)]
    public async Task<int> ImapUnordered100k()
    {
        int seen = 0;
        await foreach (long _ in _pool.ImapUnordered(Workers.Square, Enumerable.Range(0, ImapItems), 100).ConfigureAwait(false))
        {
            seen++;
        }

        return seen;
    }

    /// <summary><c>ImapUnordered</c> of 20,000 tiny tasks one item per chunk: the per-chunk cost of the whole path (Compare's <c>chunk1</c> row).</summary>
    [Benchmark(OperationsPerInvoke = ImapChunk1Items)]
    public async Task<int> ImapUnorderedChunk1()
    {
        int seen = 0;
        await foreach (long _ in _pool.ImapUnordered(Workers.Square, Enumerable.Range(0, ImapChunk1Items), 1).ConfigureAwait(false))
        {
            seen++;
        }

        return seen != ImapChunk1Items ? throw new InvalidOperationException($"ImapUnordered returned {seen} of {ImapChunk1Items} results.") : seen;
    }
}
