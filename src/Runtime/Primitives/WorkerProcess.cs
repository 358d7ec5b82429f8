using System.ComponentModel;
using System.Diagnostics;
using ParallelGen.Execution;
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
/// The child never outlives this process: if the parent exits or dies, the child's channel closes and it exits.
/// Arguments travel as copies, except the shared primitives (<see cref="SharedArray{T}"/>,
/// <see cref="SharedValue{T}"/>, <see cref="ProcessQueue{T}"/>, <see cref="PipeEnd{T}"/>, manager
/// proxies), which travel as handles to the same object.
/// </remarks>
public abstract partial class WorkerProcess
{
    private readonly Process _process;
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _hasExited;
    private int _exitCode;
    private volatile bool _killRequested;

    private protected WorkerProcess(Process process, WorkerMethod worker)
    {
        _process = process;
        Pid = process.Id;
        Worker = worker;
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

    /// <summary>Kills the child now (SIGKILL on Unix); <see cref="Completion"/> then faults with <see cref="WorkerCrashedException"/>. Does nothing once it has exited.</summary>
    public void Kill()
    {
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

    /// <inheritdoc/>
    public override string ToString() => $"WorkerProcess {Pid} running {Worker.Name}" + (ExitCode is { } code ? $" (exited with {code})" : "");

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
        completeOutcome();
        _settled.TrySetResult();
    }

    private protected Process Process => _process;

    private protected static InvalidOperationException NotIntercepted() => new(
        "WorkerProcess.Start was called without the Parallel.Gen source generator rewriting the call. Pass a [Worker] static method " +
        "directly (e.g. WorkerProcess.Start(Jobs.Fill, array), not a lambda or a delegate variable), reference the Parallel.Gen package from the " +
        "project that makes the call, and make sure 'ParallelGen.Generated' is in InterceptorsNamespaces (the package's build props add it).");
}
