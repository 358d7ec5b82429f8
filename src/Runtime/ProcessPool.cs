using ParallelGen.Processes;

namespace ParallelGen;

/// <summary>
/// A pool of worker processes (Python's <c>multiprocessing.Pool</c>): real OS processes, each with its
/// own memory, started from this program (or a separate worker executable) and fed through private
/// channels. Workers start at construction, all at once. Calls are <see cref="WorkerAttribute"/> methods:
/// <code>
/// using var pool = new ProcessPool(processes: 4);
/// long[] squares = pool.Map(Jobs.Square, Enumerable.Range(0, 1000));
/// </code>
/// Disposing terminates the workers; <see cref="WorkerPool.Close"/> then <see cref="WorkerPool.Join"/> lets queued work finish first.
/// </summary>
public sealed class ProcessPool : WorkerPool
{
    /// <summary>Starts a pool of <paramref name="processes"/> workers (default: <see cref="Environment.ProcessorCount"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processes"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">Called inside a worker process: nested pools are refused.</exception>
    public ProcessPool(int? processes = null)
        : this(new ProcessPoolOptions { Processes = processes })
    {
    }

    /// <summary>Starts a pool configured by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">Called inside a worker process: nested pools are refused.</exception>
    public ProcessPool(ProcessPoolOptions options)
        : this(options, NoPoolEvents.Instance)
    {
    }

    /// <summary>Starts a pool that reports what happens to its workers to <paramref name="events"/>.</summary>
    internal ProcessPool(ProcessPoolOptions options, IPoolEvents events)
        : base(CreateExecutor(options, events))
    {
    }

    /// <summary>Process ids of the workers currently running (replacements included).</summary>
    public IReadOnlyList<int> WorkerProcessIds => ((LocalProcessExecutor)Executor).WorkerProcessIds;

    /// <summary>
    /// Where the pool's time went, over its life or since <see cref="ResetInsights"/> (mpire's insights): for each worker process its
    /// tasks, work, wait, start-up and (de)serialization time, and the slowest items with the worker that ran them. Always on; taking
    /// it costs a lock per worker. Items of calls still running count once their chunk's reply is in.
    /// </summary>
    public PoolInsights GetInsights() => ((LocalProcessExecutor)Executor).Insights.Snapshot();

    /// <summary>Starts the period <see cref="GetInsights"/> reports anew: what ran before (exited workers, start-up times, the slowest items) no longer counts.</summary>
    public void ResetInsights() => ((LocalProcessExecutor)Executor).Insights.Reset();

    /// <summary>The private directory holding the pool's socket (for tests and diagnostics).</summary>
    internal string EndpointDirectory => ((LocalProcessExecutor)Executor).EndpointDirectory;

    /// <summary>Blocked <c>Apply</c> callers reading their own reply right now (see <see cref="LocalProcessExecutor.RunReading"/>).</summary>
    internal int CallersReading => ((LocalProcessExecutor)Executor).CallersReading;

    /// <summary><c>Apply</c> calls whose caller read its own reply, since the pool started.</summary>
    internal long RepliesReadByCallers => ((LocalProcessExecutor)Executor).RepliesReadByCallers;

    private static LocalProcessExecutor CreateExecutor(ProcessPoolOptions options, IPoolEvents events)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (WorkerContext.IsWorker)
        {
            throw new InvalidOperationException(
                "A ProcessPool can't be created inside a worker process: nested pools multiply processes beyond the machine and can deadlock. " +
                "Create the pool in the parent and pass work to it, or do the work inline in the worker.");
        }

        return new LocalProcessExecutor(options.Validate(), new ObservedPoolEvents(options.Logger, events));
    }
}
