using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ParallelGen.Brokering.Client;
using ParallelGen.Brokering.Queues;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A first-in first-out queue that any number of processes put into and take from (Python's
/// <c>multiprocessing.Queue</c>). Pass it to <see cref="WorkerProcess.Start(Action)"/> or to pool
/// workers directly (unlike Python's plain <c>Queue</c>, no <c>Manager</c> is needed): it travels as
/// a handle, so every process uses the same queue.
/// <code>
/// using var q = new ProcessQueue&lt;int&gt;(capacity: 100);   // Queue(maxsize=100); new ProcessQueue&lt;int&gt;() is unbounded
/// WorkerProcess.Start(Jobs.PutSquares, new[] { 1, 2, 3 }, q);
/// int first = q.Get();                                   // blocks until an item arrives
/// await foreach (int x in q.ReadAllAsync()) { }          // until Complete() and drained
/// </code>
/// </summary>
/// <remarks>
/// The process that creates the queue hosts it: items are kept there, and other processes reach it
/// over a private Unix socket only they can open. Safe for many producers and consumers; each item
/// goes to exactly one <see cref="Get()"/>, and an item is never lost to a timeout or a cancellation.
/// Every wait (a Get on an empty queue, a Put on a full one) is parked where the queue is hosted and
/// answered by the Put, Get or <see cref="Complete"/> that ends it: nothing polls, and the async members
/// hold no thread while they wait. The queue lives until its creator disposes it or exits; after that,
/// other processes get <see cref="ObjectDisposedException"/> or <see cref="IOException"/>. Items are
/// copies (serialized like worker arguments).
/// </remarks>
/// <typeparam name="T">The item type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
[WireCodec(typeof(ProcessQueueCodec<>))]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Python's multiprocessing.Queue: the name users port from.")]
public class ProcessQueue<T> : IDisposable
{
    private readonly BrokerHandle _handle;
    private readonly bool _owner;
    private volatile bool _disposed;
    private volatile BrokerSession? _postedTo;

    // -1 until asked: an unbounded queue (0) hosted elsewhere takes puts without waiting for their answers.
    private int _hostCapacity = -1;

    // Slots of a bounded queue hosted elsewhere that its host lent this proxy: that many puts may go without waiting.
    private int _credits;

    // Takes from the queue itself when this process hosts it (see LocalTaker); null elsewhere.
    private LocalTaker? _taker;

    /// <summary>Creates an empty, unbounded queue hosted by this process.</summary>
    public ProcessQueue()
        : this(Create(0, joinable: false), owner: true)
    {
    }

    /// <summary>Creates an empty queue holding at most <paramref name="capacity"/> items (Python's <c>Queue(maxsize)</c>): <see cref="Put(T)"/> waits while it is full.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative.</exception>
    public ProcessQueue(int capacity)
        : this(Create(PositiveCapacity(capacity), joinable: false), owner: true)
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

    /// <summary>Whether a bounded queue holds as many items as it can right now (Python's <c>full()</c>); never for an unbounded one.</summary>
    public bool IsFull
    {
        get
        {
            (int count, int capacity, _) = Info();
            return capacity > 0 && count >= capacity;
        }
    }

    /// <summary>Whether <see cref="Complete"/> was called (by any process): no more puts, and getters end once it is empty.</summary>
    public bool IsCompleted => Info().Completed;

    /// <summary>At most how many items the queue holds; <see langword="null"/> when unbounded.</summary>
    public int? Capacity => Info().Capacity is > 0 and int capacity ? capacity : null;

    internal BrokerHandle Handle => _disposed ? throw new ObjectDisposedException(GetType().Name, $"This {GetType().Name} was disposed.") : _handle;

    /// <summary>Adds <paramref name="item"/> at the end (Python's <c>put()</c>), waiting as long as it takes while a bounded queue is full.</summary>
    /// <remarks>
    /// Into an unbounded queue hosted by another process, the put is pipelined like Python's (whose feeder thread sends it):
    /// it returns once the item is queued for sending, and this process's puts arrive in the order they were made. If the
    /// host refuses one (the queue was completed or disposed), the refusal is thrown by the next call on this queue from this
    /// process, and at the latest by <see cref="Flush"/>, <see cref="Complete"/>, <see cref="JoinableProcessQueue{T}.Join()"/>
    /// or <see cref="Dispose()"/>; a [Worker] task that put items finishes (and fails with the refusal) only after its puts
    /// were carried out, and a normal process exit waits for them too. Puts into a queue hosted by this process are carried
    /// out before Put returns.
    /// Into a bounded queue hosted by another process, a put waits for its answer only when this proxy has no lent slot left:
    /// that answer lends it up to half the room left in the queue (at most 64 slots), and that many puts are then
    /// pipelined. Lent slots count as taken, so the queue never holds more than its capacity; other producers may find it
    /// full a little earlier. Unused slots go back on <see cref="Dispose()"/> or when this process exits.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The queue was completed (also while waiting for room: the item was not put), or an earlier pipelined put was refused.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed (here, or by the process that created it).</exception>
    /// <exception cref="IOException">The process hosting the queue is gone.</exception>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Put(T item)
    {
        BrokerHandle handle = Handle;
        if (TryPost(handle, item))
        {
            return;
        }

        if (handle.Remote is not null)
        {
            PutAskingForCredits(handle, item);
            return;
        }

        TryPutCore(item, Timeout.InfiniteTimeSpan, default);
    }

    /// <summary>
    /// Waits until every item this process put was carried out by the process hosting the queue, and throws if one was
    /// refused (see <see cref="Put(T)"/>). Not needed before a normal exit or at the end of a [Worker] task: both flush.
    /// </summary>
    /// <exception cref="InvalidOperationException">An earlier put was refused (the queue was completed).</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed by the process that created it.</exception>
    /// <exception cref="IOException">The process hosting the queue is gone.</exception>
    public void Flush()
    {
        BrokerHandle handle = Handle;
        handle.Session.Confirm(handle.Id);
    }

    /// <summary>Adds <paramref name="item"/> at the end, waiting up to <paramref name="timeout"/> for room (Python's <c>put(item, timeout=...)</c>).</summary>
    /// <exception cref="TimeoutException">The queue was still full after <paramref name="timeout"/>; the item was not put (Python's <c>queue.Full</c>).</exception>
    /// <exception cref="InvalidOperationException">The queue was completed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public void Put(T item, TimeSpan timeout)
    {
        if (!TryPut(item, timeout))
        {
            throw new TimeoutException($"The queue was still full (capacity {Capacity}) after {timeout.TotalSeconds:0.###} s; the item was not put.");
        }
    }

    /// <summary>Adds <paramref name="item"/> if there is room within <paramref name="timeout"/>; <see langword="false"/> (and the item not put) otherwise.</summary>
    /// <exception cref="InvalidOperationException">The queue was completed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public bool TryPut(T item, TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        return TryPutCore(item, timeout, default);
    }

    /// <summary>Adds <paramref name="item"/> at the end, waiting without holding a thread while a bounded queue is full.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before there was room; the item was not put.</exception>
    /// <exception cref="InvalidOperationException">The queue was completed (also while waiting for room: the item was not put).</exception>
    public async Task PutAsync(T item, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (TryPost(Handle, item))
        {
            return;
        }

        BrokerResult result = await Handle.InvokeWaitingAsync(BrokerOp.QueuePut, WireCodec<T>.ToBytes(item), cancellationToken).ConfigureAwait(false);
        if (!result.IsOk)
        {
            throw new OperationCanceledException("The queue stayed full until the wait to put was cancelled; the item was not put.", cancellationToken);
        }
    }

    /// <summary>Takes the oldest item, waiting as long as it takes for one (Python's <c>get()</c>).</summary>
    /// <exception cref="InvalidOperationException">The queue was completed and is empty (also while waiting): no item will ever come.</exception>
    /// <exception cref="ObjectDisposedException">The queue was disposed (also while waiting).</exception>
    /// <exception cref="IOException">The process hosting the queue is gone (also while waiting): this never hangs on a dead host.</exception>
    public T Get() => Get(CancellationToken.None);

    /// <summary>Takes the oldest item, waiting until one arrives or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before an item arrived (an item already on its way is returned, never lost).</exception>
    /// <exception cref="InvalidOperationException">The queue was completed and is empty (also while waiting).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public T Get(CancellationToken cancellationToken)
    {
        BrokerHandle handle = Handle;
        if (TryTakeLocal(handle, wait: true, cancellationToken, out T? item, out long waitStart))
        {
            return item;
        }

        BrokerResult result = handle.InvokeWaiting(BrokerOp.QueueGet, default, Timeout.InfiniteTimeSpan, cancellationToken);
        _taker?.Observe(waitStart);
        return Taken(result, cancellationToken);
    }

    /// <summary>Takes the oldest item, waiting up to <paramref name="timeout"/> (Python's <c>get(timeout=...)</c>).</summary>
    /// <exception cref="TimeoutException">No item arrived in time.</exception>
    /// <exception cref="InvalidOperationException">The queue was completed and is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public T Get(TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        BrokerHandle handle = Handle;
        if (TryTakeLocal(handle, wait: timeout != TimeSpan.Zero, default, out T? item, out long waitStart))
        {
            return item;
        }

        BrokerResult result = handle.InvokeWaiting(BrokerOp.QueueGet, default, timeout, default);
        _taker?.Observe(waitStart);
        if (result.Status is BrokerStatus.Empty or BrokerStatus.Cancelled)
        {
            throw new TimeoutException($"No item arrived in the queue within {timeout.TotalSeconds:0.###} s.");
        }

        return Taken(result, default);
    }

    /// <summary>Takes the oldest item if one arrives within <paramref name="timeout"/>; <see langword="false"/> otherwise, and once the queue is completed and empty.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public bool TryGet([MaybeNullWhen(false)] out T item, TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        return TryTake(timeout, out item);
    }

    /// <summary>Takes the oldest item if there is one right now (Python's <c>get_nowait()</c>, without the exception).</summary>
    public bool TryGet([MaybeNullWhen(false)] out T item) => TryTake(TimeSpan.Zero, out item);

    /// <summary>Takes the oldest item, waiting without holding a thread until one arrives.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before an item arrived (an item already on its way is returned, never lost).</exception>
    /// <exception cref="InvalidOperationException">The queue was completed and is empty (also while waiting).</exception>
    public async Task<T> GetAsync(CancellationToken cancellationToken = default)
    {
        if (TryTakeLocal(Handle, wait: false, cancellationToken, out T? item, out _))
        {
            return item;
        }

        BrokerResult result = await Handle.InvokeWaitingAsync(BrokerOp.QueueGet, [], cancellationToken).ConfigureAwait(false);
        return Taken(result, cancellationToken);
    }

    /// <summary>
    /// Every item, as it arrives, until the queue is completed and empty (<see cref="System.Threading.Channels.ChannelReader{T}.ReadAllAsync"/>
    /// for a process queue). Several readers, in any processes, share the items: each goes to one of them.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryTakeLocal(Handle, wait: false, cancellationToken, out T? item, out _))
            {
                yield return item;
                continue;
            }

            BrokerResult result = await Handle.InvokeWaitingAsync(BrokerOp.QueueGet, [], cancellationToken).ConfigureAwait(false);
            if (result.Status == BrokerStatus.Completed)
            {
                yield break;
            }

            yield return Taken(result, cancellationToken);
        }
    }

    /// <summary>
    /// Every item, as it arrives, until the queue is completed and empty (Python's <c>iter(q.get, sentinel)</c>, without a sentinel).
    /// </summary>
    public IEnumerable<T> GetConsumingEnumerable(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            BrokerHandle handle = Handle;
            if (TryTakeLocal(handle, wait: true, cancellationToken, out T? item, out long waitStart))
            {
                yield return item;
                continue;
            }

            BrokerResult result = handle.InvokeWaiting(BrokerOp.QueueGet, default, Timeout.InfiniteTimeSpan, cancellationToken);
            _taker?.Observe(waitStart);
            if (result.Status == BrokerStatus.Completed)
            {
                yield break;
            }

            yield return Taken(result, cancellationToken);
        }
    }

    /// <summary>
    /// Marks the queue complete, from any process: further puts throw <see cref="InvalidOperationException"/> (so do puts
    /// waiting for room), and getters take what is left, then end: <see cref="Get()"/> throws, <see cref="TryGet(out T)"/>
    /// returns <see langword="false"/> and <see cref="ReadAllAsync"/> stops, also those already waiting in other processes.
    /// Calling it again does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">A put this process made earlier without waiting was refused.</exception>
    public void Complete()
    {
        BrokerHandle handle = Handle;
        handle.Invoke(BrokerOp.QueueComplete).ThrowIfError();

        // This process's earlier puts were carried out before the Complete: a refusal of one has arrived by now.
        handle.Session.ThrowIfRefused(handle.Id);
    }

    /// <summary>
    /// In the process that created the queue: removes it, failing whoever still waits on it in other processes.
    /// Elsewhere: only stops this process from using it, after waiting for its pipelined puts to be carried out
    /// (throwing if one was refused, see <see cref="Put(T)"/>).
    /// </summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name[..^2]}<{typeof(T).Name}> #{_handle.Id} hosted by {_handle.HostDescription}";

    /// <summary>Releases the queue (see <see cref="Dispose()"/>).</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        Exception? unconfirmed = null;
        if (_postedTo is RemoteBrokerSession session)
        {
            try
            {
                // Lent slots this proxy won't use are room for other producers again.
                int unused = Interlocked.Exchange(ref _credits, 0);
                if (unused > 0 && !session.IsBroken)
                {
                    QueueRequests.ReturnCredits(session, _handle.Id, unused);
                }

                // Only puts that may not have arrived need the round trip; a host that was shut down after confirming them is no error.
                if (session.HasUnconfirmed)
                {
                    session.Confirm(_handle.Id);
                }
                else
                {
                    session.ThrowIfRefused(_handle.Id);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
            {
                unconfirmed = e;
            }
        }

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

        if (unconfirmed is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unconfirmed);
        }
    }

    private protected static BrokerHandle Create(int capacity, bool joinable)
    {
        Span<byte> operands = stackalloc byte[QueueRequests.CreateOperandsLength];
        QueueRequests.WriteCreateOperands(operands, capacity, joinable);
        return BrokerHandle.CreateLocal(BrokerOp.CreateQueue, operands);
    }

    private protected static int PositiveCapacity(int capacity) => capacity > 0
        ? capacity
        : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A bounded queue's capacity must be at least 1; use new ProcessQueue<T>() for an unbounded one.");

    private static T Taken(BrokerResult result, CancellationToken cancellationToken)
    {
        switch (result.Status)
        {
            case BrokerStatus.Ok:
                return WireCodec<T>.FromBytes(result.Payload);
            case BrokerStatus.Completed:
                throw new InvalidOperationException("The queue was completed and is empty: no item will ever arrive (Complete() was called and everything put before it has been taken).");
            default:
                cancellationToken.ThrowIfCancellationRequested();
                throw new OperationCanceledException("The wait for an item was cancelled.", cancellationToken);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryTake(TimeSpan timeout, [MaybeNullWhen(false)] out T item)
    {
        BrokerHandle handle = Handle;
        if (TryTakeLocal(handle, wait: timeout != TimeSpan.Zero, default, out item, out long waitStart))
        {
            return true;
        }

        BrokerResult result = handle.InvokeWaiting(BrokerOp.QueueGet, default, timeout, default);
        _taker?.Observe(waitStart);
        if (!result.IsOk)
        {
            item = default;
            return false;
        }

        item = WireCodec<T>.FromBytes(result.Payload);
        return true;
    }

    /// <summary>
    /// The fast path of a take when this process hosts the queue: an item that is there is taken from the queue itself, and a
    /// waiting take spins briefly first (see <see cref="LocalTaker"/>). <see langword="false"/>: take through a request, then
    /// report <paramref name="waitStart"/> to the taker.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryTakeLocal(BrokerHandle handle, bool wait, CancellationToken cancellationToken, [MaybeNullWhen(false)] out T item, out long waitStart)
    {
        cancellationToken.ThrowIfCancellationRequested();
        waitStart = 0;
        if ((_taker ??= LocalTaker.For(handle, end: 0)) is { } taker && taker.TryTake(wait, cancellationToken, out byte[]? bytes, out waitStart))
        {
            item = WireCodec<T>.FromBytes(bytes);
            return true;
        }

        item = default;
        return false;
    }

    /// <summary>Pipelines the put when the queue is unbounded and hosted by another process; <see langword="false"/> when it must be carried out now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryPost(BrokerHandle handle, T item)
    {
        if (handle.Remote is null)
        {
            return false;
        }

        if (_hostCapacity < 0)
        {
            _hostCapacity = Info().Capacity;
        }

        if (_hostCapacity != 0 && !TryTakeCredit())
        {
            return false;
        }

        // The item and its flag, written straight into the thread's scratch buffer (Post copies them into the outgoing frame).
        WireWriter operands = ScratchWriter.Take();
        try
        {
            WireCodec<T>.Instance.Write(operands, item);
            operands.WriteByte(QueueRequests.PostedPutFlag(bounded: _hostCapacity != 0));
            BrokerSession session = handle.Session;
            _postedTo = session;
            session.Post(BrokerOp.QueuePut, handle.Id, operands.WrittenSpan);
        }
        finally
        {
            ScratchWriter.Return(operands);
        }

        return true;
    }

    private bool TryTakeCredit()
    {
        int credits;
        do
        {
            credits = Volatile.Read(ref _credits);
            if (credits <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _credits, credits - 1, credits) != credits);

        return true;
    }

    /// <summary>
    /// A Put into a bounded queue hosted elsewhere, with no lent slot left: waits for room like any put, and asks the host
    /// to lend slots for the next puts (see <see cref="QueueObject"/>).
    /// </summary>
    private void PutAskingForCredits(BrokerHandle handle, T item)
    {
        int lent = QueueRequests.PutAskingForCredits(handle, WireCodec<T>.ToBytes(item));
        if (lent > 0)
        {
            Interlocked.Add(ref _credits, lent);
        }
    }

    private bool TryPutCore(T item, TimeSpan timeout, CancellationToken cancellationToken) =>
        Handle.InvokeWaiting(BrokerOp.QueuePut, WireCodec<T>.ToBytes(item), timeout, cancellationToken).IsOk;

    private (int Count, int Capacity, bool Completed) Info() => QueueRequests.Info(Handle);
}
