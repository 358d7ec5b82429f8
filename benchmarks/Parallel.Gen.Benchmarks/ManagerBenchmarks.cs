using BenchmarkDotNet.Attributes;

namespace ParallelGen.Benchmarks;

/// <summary>
/// Operations on <see cref="Manager"/> objects from this process: each is one round trip to the manager's
/// server process (started once in setup), as with Python's <c>Manager().dict()</c> proxies.
/// </summary>
[MemoryDiagnoser]
public class ManagerBenchmarks : IDisposable
{
    private const int Keys = 100;

    private Manager _manager = null!;
    private ManagedDictionary<int, int> _dictionary = null!;
    private ProcessQueue<int> _queue = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _manager = Manager.Start();
        _dictionary = _manager.Dictionary<int, int>();
        _queue = _manager.Queue<int>();
        for (int i = 0; i < Keys; i++)
        {
            _dictionary[i] = i;
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _queue?.Dispose();
        _manager?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary><c>d[k] = v</c>.</summary>
    [Benchmark]
    public void DictionarySet() => _dictionary[_next++ % Keys] = _next;

    /// <summary><c>d[k]</c>.</summary>
    [Benchmark]
    public int DictionaryGet() => _dictionary[_next++ % Keys];

    /// <summary><c>k in d</c>.</summary>
    [Benchmark]
    public bool DictionaryContainsKey() => _dictionary.ContainsKey(_next++ % (2 * Keys));

    /// <summary>A put and a get on <c>Manager().Queue()</c>: two round trips.</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public int QueuePutGet()
    {
        _queue.Put(_next++);
        return _queue.Get();
    }
}
