using System.ComponentModel;
using System.Diagnostics;
using ParallelGen.Execution;
using ParallelGen.Processes;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// One <see cref="WorkerAttribute"/> call in a process of its own (Python's <c>multiprocessing.Process</c>):
/// <code>
/// var p = WorkerProcess.Start(Jobs.SquareList, xs, result, squareSum);   // Process(target=..., args=...).start()
/// p.Join();                                                               // p.join()
/// </code>
/// The process starts running at once. It is this program started again (like pool workers): it runs
/// the one call, then exits with code 0, or 1 when the call threw. For a worker that returns a value,
/// <see cref="WorkerProcess{TResult}.Completion"/> carries it back.
/// </summary>
/// <remarks>
/// <see cref="Terminate()"/> asks the child to stop (SIGTERM) and kills it if it hasn't after a grace period;
/// <see cref="Kill"/> ends it at once. <see cref="ActiveChildren"/> lists the children still running, and
/// <see cref="Dispose"/> (Python's <c>close()</c>) is refused while the child runs.
/// The child never outlives this process: if the parent exits or dies, the child's channel closes and it exits.
/// Arguments travel as copies, except the shared primitives (<see cref="SharedArray{T}"/>,
/// <see cref="SharedValue{T}"/>, <see cref="ProcessQueue{T}"/>, <see cref="PipeEnd{T}"/>, manager
/// proxies), which travel as handles to the same object.
/// </remarks>
public abstract partial class WorkerProcess : IDisposable
{
    /// <summary>How long <see cref="Terminate()"/> gives the child to exit after SIGTERM before it kills it.</summary>
    public static readonly TimeSpan DefaultTerminateGracePeriod = TimeSpan.FromSeconds(5);

    private static readonly Lock s_childrenGate = new();
    private static readonly List<WorkerProcess> s_children = [];
    private static int s_started;

    private readonly Process _process;
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _hasExited;
    private int _exitCode;
    private volatile bool _killRequested;
    private volatile bool _terminateRequested;
    private volatile bool _disposed;
    private string _name;

    private protected WorkerProcess(Process process, WorkerMethod worker)
    {
        _process = process;
        Pid = process.Id;
        Worker = worker;
        _name = "WorkerProcess-" + Interlocked.Increment(ref s_started).ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (s_childrenGate)
        {
            s_children.Add(this);
        }
    }

    /// <summary>
    /// A name for messages and logs (Python's <c>Process.name</c>): "WorkerProcess-1", "WorkerProcess-2", ... in start
    /// order unless set. Only this process sees it; it means nothing to the child.
    /// </summary>
    /// <exception cref="ArgumentException">Set to null or blank.</exception>
    public string Name
    {
        get => Volatile.Read(ref _name);
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            Volatile.Write(ref _name, value);
        }
    }

    /// <summary>The child's process id (Python's <c>Process.pid</c>).</summary>
    public int Pid { get; }

    /// <summary>Whether the child is still running (Python's <c>is_alive()</c>).</summary>
    public bool IsAlive
    {
        get
        {
            if (_hasExited)
            {
                return false;
            }

            try
            {
                return !_process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The child's exit code once it has exited and been joined, else <see langword="null"/> (Python's <c>exitcode</c>):
    /// 0 when the call returned, 1 when it threw; on Unix 128 + n when killed by signal n (137 after <see cref="Kill"/>).
    /// </summary>
    public int? ExitCode => _hasExited ? Volatile.Read(ref _exitCode) : null;

    /// <summary>
    /// Completes when the call's outcome is known and the child has exited; faults with <see cref="WorkerException"/>
    /// when the call threw and <see cref="WorkerCrashedException"/> when the child died or was killed.
    /// </summary>
    public Task Completion => CompletionTask;

    private protected abstract Task CompletionTask { get; }

    private protected WorkerMethod Worker { get; }

    private protected bool KillRequested => _killRequested;

    private protected bool TerminateRequested => _terminateRequested;

    /// <summary>
    /// The children started with <see cref="WorkerProcess"/>.Start that are still running, oldest first (Python's
    /// <c>multiprocessing.active_children()</c>). A snapshot: any of them may exit the next moment.
    /// </summary>
    public static IReadOnlyList<WorkerProcess> ActiveChildren()
    {
        lock (s_childrenGate)
        {
            return [.. s_children.Where(child => child.IsAlive)];
        }
    }

    /// <summary>Waits until the child has exited (Python's <c>join()</c>). Does not throw when the call failed: see <see cref="Completion"/> and <see cref="ExitCode"/>.</summary>
    public void Join() => _settled.Task.Wait();

    /// <summary>Waits up to <paramref name="timeout"/> for the child to exit; <see langword="false"/> if it is still running.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public bool Join(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or positive, or Timeout.InfiniteTimeSpan.");
        }

        return _settled.Task.Wait(timeout);
    }

    /// <summary>Completes when the child has exited. Does not throw when the call failed: await <see cref="Completion"/> for that.</summary>
    public Task WaitAsync(CancellationToken cancellationToken = default) => _settled.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Asks the child to stop (SIGTERM on Unix, Python's <c>terminate()</c>) and kills it if it is still running
    /// <see cref="DefaultTerminateGracePeriod"/> later. Returns at once; <see cref="Join()"/> waits for the exit.
    /// <see cref="Completion"/> then faults with <see cref="WorkerCrashedException"/>. Does nothing once it has exited.
    /// </summary>
    /// <remarks>
    /// The child's exit handlers run (<see cref="AppDomain.ProcessExit"/>: shared memory and queues it created are
    /// released); the call it was running is not resumed. On Unix its <see cref="ExitCode"/> is 143 (128 + SIGTERM)
    /// when it stopped by itself and 137 when the grace period ran out. On Windows there is no SIGTERM: it is killed.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The process object was disposed.</exception>
    public void Terminate() => Terminate(DefaultTerminateGracePeriod);

    /// <summary>Like <see cref="Terminate()"/>, killing the child if it is still running <paramref name="gracePeriod"/> after SIGTERM.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gracePeriod"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    /// <exception cref="ObjectDisposedException">The process object was disposed.</exception>
    public void Terminate(TimeSpan gracePeriod)
    {
        if (gracePeriod < TimeSpan.Zero && gracePeriod != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(gracePeriod), gracePeriod, "The grace period must be zero or positive, or Timeout.InfiniteTimeSpan.");
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_settled.Task.IsCompleted)
        {
            return;
        }

        _terminateRequested = true;
        if (OperatingSystem.IsWindows() || gracePeriod == TimeSpan.Zero || !ProcessSignals.Terminate(Pid))
        {
            Kill();
            return;
        }

        if (gracePeriod != Timeout.InfiniteTimeSpan)
        {
            _ = KillAfterAsync(gracePeriod);
        }
    }

    /// <summary>Kills the child now (SIGKILL on Unix); <see cref="Completion"/> then faults with <see cref="WorkerCrashedException"/>. Does nothing once it has exited.</summary>
    /// <exception cref="ObjectDisposedException">The process object was disposed.</exception>
    public void Kill()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _killRequested = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (Win32Exception)
        {
        }
    }

    /// <summary>
    /// Releases what this object holds for the child (Python's <c>close()</c>); afterwards <see cref="Kill"/> and
    /// <see cref="Terminate()"/> throw <see cref="ObjectDisposedException"/>. Calling it again does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The child is still running: <see cref="Join()"/>, <see cref="Terminate()"/> or <see cref="Kill"/> it first.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1065:Do not raise exceptions in unexpected locations", Justification = "Python's Process.close() raises while the process runs: disposing must not silently orphan a running child.")]
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (!_settled.Task.IsCompleted)
        {
            if (IsAlive)
            {
                throw new InvalidOperationException(
                    $"{Name} (process {Pid}, running {Worker.Name}) is still running, so it can't be disposed (Python's close() refuses too). Join() it, or Terminate()/Kill() it and then Join(), before disposing.");
            }

            // It has exited and its outcome is being recorded: wait for that, so nothing is released under it.
            _settled.Task.Wait();
        }

        _disposed = true;
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} (process {Pid}) running {Worker.Name}" + (ExitCode is { } code ? $" (exited with {code})" : "");

    /// <summary>Generated code calls this for <c>WorkerProcess.Start</c>: it carries the worker's id and the codecs of its arguments and result.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static WorkerProcess<TResult> StartCore<TArgs, TResult, TArgsCodec, TResultCodec>(WorkerMethod worker, TArgs args)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
        => WorkerProcess<TResult>.Launch<TArgs, TArgsCodec, TResultCodec>(worker, args);

    /// <summary>Records the exit code, completes the outcome, then releases <see cref="Join()"/>: after Join, both are known.</summary>
    private protected void Settle(Action completeOutcome)
    {
        int exitCode;
        try
        {
            exitCode = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            exitCode = -1;
        }

        Volatile.Write(ref _exitCode, exitCode);
        _hasExited = true;
        _process.Dispose();
        lock (s_childrenGate)
        {
            s_children.Remove(this);
        }

        completeOutcome();
        _settled.TrySetResult();
    }

    private protected Process Process => _process;

    private async Task KillAfterAsync(TimeSpan gracePeriod)
    {
        if (await Task.WhenAny(_settled.Task, Task.Delay(gracePeriod)).ConfigureAwait(false) != _settled.Task)
        {
            Kill();
        }
    }

    private protected static InvalidOperationException NotIntercepted() => new(
        "WorkerProcess.Start was called without the Parallel.Gen source generator rewriting the call. Pass a [Worker] static method " +
        "directly (e.g. WorkerProcess.Start(Jobs.Fill, array), not a lambda or a delegate variable), reference the Parallel.Gen package from the " +
        "project that makes the call, and make sure 'ParallelGen.Generated' is in InterceptorsNamespaces (the package's build props add it).");
}
