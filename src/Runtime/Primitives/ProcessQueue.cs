using System.Diagnostics.CodeAnalysis;
using ParallelGen.Brokering;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A first-in first-out queue that any number of processes put into and take from (Python's
/// <c>multiprocessing.Queue</c>). Pass it to <see cref="WorkerProcess.Start(Action)"/> or to pool
/// workers directly (unlike Python's plain <c>Queue</c>, no <c>Manager</c> is needed): it travels as
/// a handle, so every process uses the same queue.
/// <code>
/// using var q = new ProcessQueue&lt;int&gt;();
/// WorkerProcess.Start(Jobs.PutSquares, new[] { 1, 2, 3 }, q);
/// int first = q.Get();                                   // blocks until an item arrives
/// if (q.TryGet(out int next, TimeSpan.FromSeconds(1))) { }
/// </code>
/// </summary>
/// <remarks>
/// The process that creates the queue hosts it: items are kept there, and other processes reach it
/// over a private Unix socket only they can open. Safe for many producers and consumers; each item
/// goes to exactly one <see cref="Get()"/>, and an item is never lost to a timeout. The queue lives
/// until its creator disposes it or exits; after that, other processes get <see cref="ObjectDisposedException"/>
/// or <see cref="IOException"/>. Items are copies (serialized like worker arguments).
/// </remarks>
/// <typeparam name="T">The item type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
[WireCodec(typeof(ProcessQueueCodec<>))]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Python's multiprocessing.Queue: the name users port from.")]
public sealed class ProcessQueue<T> : IDisposable
{
    private readonly BrokerHandle _handle;
    private readonly bool _owner;
    private volatile bool _disposed;

    /// <summary>Creates an empty, unbounded queue hosted by this process.</summary>
    public ProcessQueue()
        : this(BrokerHandle.CreateLocal(BrokerOp.CreateQueue), owner: true)
    {
    }

    internal ProcessQueue(BrokerHandle handle, bool owner)
    {
        _handle = handle;
        _owner = owner;
    }

    /// <summary>How many items are waiting (Python's <c>qsize()</c>); other processes may change it at any moment.</summary>
    public int Count => Handle.Invoke(BrokerOp.QueueCount).ReadInt32();

    /// <summary>Whether no item is waiting right now (Python's <c>empty()</c>); another process may put one the next moment.</summary>
    public bool IsEmpty => Count == 0;

    internal BrokerHandle Handle => _disposed ? throw new ObjectDisposedException(nameof(ProcessQueue<T>), "This ProcessQueue was disposed.") : _handle;

    /// <summary>Adds <paramref name="item"/> at the end (Python's <c>put()</c>). Never blocks: the queue is unbounded.</summary>
    /// <exception cref="ObjectDisposedException">The queue was disposed (here, or by the process that created it).</exception>
    /// <exception cref="IOException">The process hosting the queue is gone.</exception>
    public void Put(T item)
    {
        BrokerHandle handle = Handle;
        handle.Invoke(BrokerOp.QueuePut, WireCodec<T>.ToBytes(item)).ThrowIfError();
    }

    /// <summary>Takes the oldest item, waiting as long as it takes for one (Python's <c>get()</c>).</summary>
    /// <exception cref="ObjectDisposedException">The queue was disposed (also while waiting).</exception>
    /// <exception cref="IOException">The process hosting the queue is gone (also while waiting): this never hangs on a dead host.</exception>
    public T Get()
    {
        TryTake(Timeout.InfiniteTimeSpan, out T? item);
        return item!;
    }

    /// <summary>Takes the oldest item, waiting until one arrives or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before an item arrived (an item already on its way is returned, never lost).</exception>
    public T Get(CancellationToken cancellationToken)
    {
        TryTake(Timeout.InfiniteTimeSpan, out T? item, cancellationToken);
        return item!;
    }

    /// <summary>Takes the oldest item, waiting up to <paramref name="timeout"/> (Python's <c>get(timeout=...)</c>).</summary>
    /// <exception cref="TimeoutException">No item arrived in time.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public T Get(TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        if (!TryTake(timeout, out T? item))
        {
            throw new TimeoutException($"No item arrived in the queue within {timeout.TotalSeconds:0.###} s.");
        }

        return item!;
    }

    /// <summary>Takes the oldest item if one arrives within <paramref name="timeout"/>; <see langword="false"/> otherwise.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public bool TryGet([MaybeNullWhen(false)] out T item, TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        return TryTake(timeout, out item);
    }

    /// <summary>Takes the oldest item if there is one right now (Python's <c>get_nowait()</c>, without the exception).</summary>
    public bool TryGet([MaybeNullWhen(false)] out T item) => TryTake(TimeSpan.Zero, out item);

    /// <summary>
    /// In the process that created the queue: removes it, failing whoever still waits on it in other processes.
    /// Elsewhere: only stops this process from using it.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_owner)
        {
            try
            {
                _handle.Invoke(BrokerOp.Destroy);
            }
            catch (IOException)
            {
                // Its host (a manager) is already gone: nothing left to remove.
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"ProcessQueue<{typeof(T).Name}> #{_handle.Id} hosted by {_handle.HostDescription}";

    private bool TryTake(TimeSpan timeout, [MaybeNullWhen(false)] out T item, CancellationToken cancellationToken = default) =>
        Handle.TryTake(BrokerOp.QueueGet, default, timeout, out item, cancellationToken);
}

/// <summary>Carries a <see cref="ProcessQueue{T}"/> as a handle: where the queue is hosted and its id there. The receiver uses the same queue.</summary>
public readonly struct ProcessQueueCodec<T> : IWireCodec<ProcessQueue<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, ProcessQueue<T> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(value is null ? (byte)0 : (byte)1);
        value?.Handle.Write(writer);
    }

    /// <inheritdoc/>
    public static ProcessQueue<T> Read(ref WireReader reader) =>
        reader.ReadByte() == 0 ? null! : new ProcessQueue<T>(BrokerHandle.Read(ref reader), owner: false);
}
