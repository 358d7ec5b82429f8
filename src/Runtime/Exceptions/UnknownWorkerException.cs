using System.Globalization;

namespace ParallelGen;

/// <summary>
/// A worker process was asked to run a worker id its binary does not contain: the host and the
/// worker binary were built from different code (version skew).
/// </summary>
public sealed class UnknownWorkerException : Exception
{
    /// <summary>Creates the exception for the worker process side.</summary>
    public UnknownWorkerException(ulong workerId, string workerBuildId)
        : base(string.Create(CultureInfo.InvariantCulture, $"This worker binary (build {workerBuildId}) has no worker with id 0x{workerId:x16}: the host and the worker binary were built from different code. Rebuild and redeploy them together."))
    {
        WorkerId = workerId;
        WorkerBuildId = workerBuildId;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public UnknownWorkerException(string message)
        : base(message)
    {
        WorkerBuildId = "";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public UnknownWorkerException(string message, Exception innerException)
        : base(message, innerException)
    {
        WorkerBuildId = "";
    }

    /// <summary>Creates the exception with a default message.</summary>
    public UnknownWorkerException()
        : this("The worker binary does not know the requested worker.")
    {
    }

    /// <summary>The id that was not found.</summary>
    public ulong WorkerId { get; }

    /// <summary>The build id of the worker binary.</summary>
    public string WorkerBuildId { get; }
}
