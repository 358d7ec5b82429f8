namespace ParallelGen;

/// <summary>The pool could not start its worker processes (missing binary, a worker that exits at start-up, ...); the message says what was seen.</summary>
public sealed class WorkerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public WorkerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public WorkerStartException()
        : base("The pool could not start its worker processes.")
    {
    }
}
