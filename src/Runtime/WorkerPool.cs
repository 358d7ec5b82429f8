using ParallelGen.Execution;

namespace ParallelGen;

/// <summary>
/// The pool API shared by every way of running workers: <see cref="ProcessPool"/> (local worker
/// processes) and other executors. This front end chunks inputs, keeps a bounded number of chunks
/// in flight, orders results, and turns failures into exceptions; the executor only moves bytes.
/// </summary>
/// <remarks>
/// Lifecycle follows Python: <see cref="Close"/> refuses new calls, <see cref="Join"/> waits for
/// outstanding calls and for the workers to exit, <see cref="Terminate"/> stops everything now and
/// fails pending calls. <see cref="Dispose"/> is <see cref="Terminate"/> plus waiting for the workers to be gone.
/// </remarks>
public abstract partial class WorkerPool : IDisposable, IAsyncDisposable
{
    private const int Open = 0;
    private const int Closed = 1;
    private const int Terminated = 2;
    private const int Disposed = 3;

    private readonly Lock _gate = new();
    private TaskCompletionSource? _idle;
    private int _state;
    private int _activeCalls;

    /// <summary>Creates the front end over <paramref name="executor"/>, which the pool owns from now on.</summary>
    protected WorkerPool(IWorkerExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        Executor = executor;
    }

    /// <summary>What runs the chunks.</summary>
    protected IWorkerExecutor Executor { get; }

    /// <summary>How many workers run at once.</summary>
    public int Processes => Executor.Concurrency;

    /// <summary>Refuses new calls (Python's <c>close()</c>); calls already made run to completion.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_state == Open)
            {
                _state = Closed;
            }
        }
    }

    /// <summary>
    /// Waits for outstanding calls to finish and for the workers to exit (Python's <c>join()</c>).
    /// Call <see cref="Close"/> or <see cref="Terminate"/> first.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pool is still open.</exception>
    public void Join() => JoinAsync().GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="Join"/>.</summary>
    /// <exception cref="InvalidOperationException">The pool is still open.</exception>
    public async Task JoinAsync()
    {
        Task idle;
        lock (_gate)
        {
            if (_state == Open)
            {
                throw new InvalidOperationException("Join() waits for the workers to finish and exit, so call Close() (or Terminate()) first: an open pool could take more work while you wait.");
            }

            idle = _activeCalls == 0 ? Task.CompletedTask : (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        await idle.ConfigureAwait(false);
        if (Volatile.Read(ref _state) == Closed)
        {
            await Executor.DrainAsync().ConfigureAwait(false);
        }
        else
        {
            await Executor.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the workers now (Python's <c>terminate()</c>); every pending call ends, cancelled or faulted.</summary>
    public void Terminate()
    {
        lock (_gate)
        {
            if (_state >= Terminated)
            {
                return;
            }

            _state = Terminated;
        }

        Executor.Terminate();
    }

    /// <summary>Terminates the workers and waits until they are gone; no process, socket or temporary file is left.</summary>
    public void Dispose()
    {
        DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    /// <summary>Terminates the workers and waits until they are gone.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_state == Disposed)
            {
                return;
            }

            _state = Disposed;
        }

        // The executor terminates what is still running; a local pool first lets its idle workers exit on their own.
        await Executor.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Registers a call; the returned scope unregisters it. Throws if the pool no longer takes work.</summary>
    private protected CallScope EnterCall()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case Open:
                    _activeCalls++;
                    return new CallScope(this);
                case Closed:
                    throw new InvalidOperationException("The pool is closed: Close() was called, so it takes no new work. Create a new pool.");
                case Terminated:
                    throw new InvalidOperationException("The pool was terminated: Terminate() was called, so it takes no new work. Create a new pool.");
                default:
                    throw new ObjectDisposedException(GetType().Name, "The pool was disposed. Create a new pool.");
            }
        }
    }

    private void ExitCall()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_activeCalls == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }

        idle?.TrySetResult();
    }

    private protected static InvalidOperationException NotIntercepted(string method) => new(
        $"WorkerPool.{method} was called without the Parallel.Gen source generator rewriting the call. Pass a [Worker] static method " +
        "directly (e.g. pool.Map(Jobs.Square, items), not a lambda or a delegate variable), reference the Parallel.Gen package from the " +
        "project that makes the call, and make sure 'ParallelGen.Generated' is in InterceptorsNamespaces (the package's build props add it).");

    private protected readonly struct CallScope(WorkerPool pool) : IDisposable
    {
        public void Dispose() => pool.ExitCall();
    }
}
