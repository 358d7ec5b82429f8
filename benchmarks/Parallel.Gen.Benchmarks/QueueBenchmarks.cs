using BenchmarkDotNet.Attributes;

namespace ParallelGen.Benchmarks;

/// <summary>
/// Small messages from a worker process to this one, per message: a pool worker puts 1,000 ints into a
/// <see cref="ProcessQueue{T}"/> (or sends them down a <see cref="PipeEnd{T}"/>) hosted here while this
/// thread takes them, as Python's queue_throughput.py does with one producer. Also the same queue used
/// inside its own process (no socket), for the floor.
/// </summary>
[MemoryDiagnoser]
public class QueueBenchmarks : IDisposable
{
    private const int Messages = 1_000;

    private ProcessPool _pool = null!;
    private ProcessQueue<int> _queue = null!;
    private PipeEnd<int> _parentEnd = null!;
    private PipeEnd<int> _childEnd = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new ProcessPool(processes: 1);
        _queue = new ProcessQueue<int>();
        (_parentEnd, _childEnd) = ProcessPipe.Create<int>();
        QueueFromWorker();
        PipeFromWorker();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        // The pool first: its worker holds the child end and the queue's handle.
        _pool?.Dispose();
        _childEnd?.Dispose();
        _parentEnd?.Dispose();
        _queue?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A worker puts, this process gets: each put is a round trip over the broker's Unix socket.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public long QueueFromWorker()
    {
        Task producer = _pool.ApplyAsync(Workers.PutMany, _queue, Messages);
        long sum = 0;
        for (int i = 0; i < Messages; i++)
        {
            sum += _queue.Get();
        }

        producer.GetAwaiter().GetResult();
        return sum;
    }

    /// <summary>A worker sends down a pipe, this process receives.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public long PipeFromWorker()
    {
        Task producer = _pool.ApplyAsync(Workers.SendMany, _childEnd, Messages);
        long sum = 0;
        for (int i = 0; i < Messages; i++)
        {
            sum += _parentEnd.Receive();
        }

        producer.GetAwaiter().GetResult();
        return sum;
    }

    /// <summary>Put and get in the queue's own process: a direct call into the local broker, no IPC.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public long QueueInProcess()
    {
        long sum = 0;
        for (int i = 0; i < Messages; i++)
        {
            _queue.Put(i);
            sum += _queue.Get();
        }

        return sum;
    }
}
