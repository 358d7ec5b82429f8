namespace ParallelGen;

/// <summary>
/// The worker process running an item died (it exited, was killed, overflowed its stack, called
/// <see cref="Environment.FailFast(string)"/> ...) before returning a result. Only the items it held fail;
/// the pool replaces it.
/// </summary>
public class WorkerCrashedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerCrashedException(string message, int workerProcessId, int? exitCode, int workerIndex)
        : base(message)
    {
        WorkerProcessId = workerProcessId;
        ExitCode = exitCode;
        WorkerIndex = workerIndex;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public WorkerCrashedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public WorkerCrashedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public WorkerCrashedException()
        : base("A worker process died.")
    {
    }

    /// <summary>Process id of the worker that died.</summary>
    public int WorkerProcessId { get; }

    /// <summary>Its exit code when known (on Unix, 128 + n when killed by signal n: 137 is SIGKILL).</summary>
    public int? ExitCode { get; }

    /// <summary>The pool slot the worker occupied.</summary>
    public int WorkerIndex { get; }

    /// <summary>The signal that killed the worker on Unix, derived from <see cref="ExitCode"/> (e.g. 9 for SIGKILL), or <see langword="null"/>.</summary>
    public int? Signal => !OperatingSystem.IsWindows() && ExitCode is > 128 and < 160 ? ExitCode - 128 : null;
}
