using System.Globalization;

namespace ParallelGen;

/// <summary>
/// An item ran longer than <see cref="ProcessPoolOptions.TaskTimeout"/>. Its worker process was killed and
/// replaced (a thread can't be aborted, a process can); the other items of the call carry on.
/// </summary>
public sealed class TaskTimeoutException : TimeoutException
{
    private readonly int? _itemInChunk;
    private readonly int _chunkItemCount;
    private int? _chunkStart;

    /// <summary>Creates the exception with a default message.</summary>
    public TaskTimeoutException()
        : base("A task ran longer than the pool's TaskTimeout.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TaskTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TaskTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What a pool reports. <paramref name="itemInChunk"/> is <see langword="null"/> when the worker could not say which item overran.</summary>
    internal TaskTimeoutException(string workerName, int? itemInChunk, int chunkItemCount, TimeSpan elapsed, TimeSpan timeout, int workerProcessId, int workerIndex)
        : base("A task ran longer than the pool's TaskTimeout.")
    {
        WorkerName = workerName;
        _itemInChunk = itemInChunk;
        _chunkItemCount = chunkItemCount;
        Elapsed = elapsed;
        Timeout = timeout;
        WorkerProcessId = workerProcessId;
        WorkerIndex = workerIndex;
    }

    /// <summary>The worker method, e.g. <c>Jobs.Crunch(int)</c>, when known.</summary>
    public string? WorkerName { get; }

    /// <summary>Index (in the call's input) of the item that overran, when known.</summary>
    public int? ItemIndex => _itemInChunk is int item && _chunkStart is int start ? start + item : null;

    /// <summary>How long the item had run when the pool gave up on it.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The limit it overran (<see cref="ProcessPoolOptions.TaskTimeout"/>).</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Process id of the worker that was killed.</summary>
    public int WorkerProcessId { get; }

    /// <summary>The pool slot that worker occupied.</summary>
    public int WorkerIndex { get; }

    /// <summary>
    /// The managed stacks of all the worker's threads, taken just before it was killed, as text: where it was stuck. Only with
    /// <see cref="ProcessPoolOptions.CaptureStacksOnTimeout"/> and the Parallel.Gen.Diagnostics package; <see langword="null"/>
    /// when capture was off or impossible (the pool's log says why; a Native AOT worker has no runtime to read).
    /// </summary>
    public string? WorkerStacks { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => WorkerStacks is null ? base.ToString() : base.ToString() + Environment.NewLine + "--- " + WorkerStacks;

    /// <inheritdoc/>
    public override string Message
    {
        get
        {
            if (WorkerName is null)
            {
                return base.Message;
            }

            string ran = Seconds(Elapsed);
            string limit = Seconds(Timeout);
            string slot = $"worker process {WorkerProcessId.ToString(CultureInfo.InvariantCulture)} (slot {WorkerIndex.ToString(CultureInfo.InvariantCulture)})";
            if (_itemInChunk is int item)
            {
                string which = ItemIndex is int index ? "Item " + index.ToString(CultureInfo.InvariantCulture) : "Item " + item.ToString(CultureInfo.InvariantCulture) + " of its chunk";
                string others = _chunkItemCount > 1 ? $" The other items of its chunk ({WorkerCrashedException.DescribeItems(_chunkStart, _chunkItemCount)}) failed with it." : "";
                return $"{which} of {WorkerName} ran for {ran}, longer than the pool's TaskTimeout of {limit}: {slot} was killed and replaced.{others}";
            }

            return $"A chunk of {WorkerName} ({WorkerCrashedException.DescribeItems(_chunkStart, _chunkItemCount)}) ran for {ran}, past TaskTimeout ({limit}) for each of its items, " +
                   $"and its worker did not say which item overran (it stopped responding): {slot} was killed and replaced.";
        }
    }

    /// <summary>The front end knows where the chunk sits in the call's input; the executor only knew the item's place in the chunk.</summary>
    internal void AttachItems(int chunkStart) => _chunkStart = chunkStart;

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture) + " s";
}
