using System.Text;
using ParallelGen.Exceptions;

namespace ParallelGen;

/// <summary>
/// A worker threw. Carries the remote exception's type name, message and stack trace, and its
/// inner exceptions as further <see cref="WorkerException"/>s; all of it shows in <see cref="ToString"/>.
/// The pool and the other items carry on.
/// </summary>
public class WorkerException : Exception
{
    private readonly IReadOnlyList<WorkerException> _innerExceptions;

    /// <summary>Creates an exception describing a failure in a worker process.</summary>
    public WorkerException(string remoteTypeName, string message, string? remoteStackTrace, IReadOnlyList<WorkerException>? innerExceptions = null, string? workerName = null, int? itemIndex = null, int? workerProcessId = null)
        : base(message, innerExceptions is { Count: > 0 } ? innerExceptions[0] : null)
    {
        RemoteTypeName = remoteTypeName;
        RemoteStackTrace = remoteStackTrace;
        _innerExceptions = innerExceptions ?? [];
        WorkerName = workerName;
        ItemIndex = itemIndex;
        WorkerProcessId = workerProcessId;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public WorkerException(string message)
        : this("System.Exception", message, null)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public WorkerException(string message, Exception innerException)
        : base(message, innerException)
    {
        RemoteTypeName = innerException.GetType().FullName ?? "System.Exception";
        _innerExceptions = [];
    }

    /// <summary>Creates an exception with a default message.</summary>
    public WorkerException()
        : this("A worker failed.")
    {
    }

    /// <summary>Full name of the exception type thrown in the worker, e.g. <c>System.DivideByZeroException</c>.</summary>
    public string RemoteTypeName { get; }

    /// <summary>The stack trace captured in the worker process.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>The worker's inner exceptions (all of an <see cref="AggregateException"/>'s).</summary>
    public IReadOnlyList<WorkerException> InnerExceptions => _innerExceptions;

    /// <summary>The worker method that failed, e.g. <c>Jobs.Square(int)</c>, when known.</summary>
    public string? WorkerName { get; }

    /// <summary>For <c>Map</c>-style calls: the index of the input item that failed.</summary>
    public int? ItemIndex { get; }

    /// <summary>Process id of the worker that ran the item, when known.</summary>
    public int? WorkerProcessId { get; }

    internal static WorkerException FromRemote(RemoteExceptionInfo info, string? workerName, int? itemIndex, int? workerProcessId)
    {
        var inner = new WorkerException[info.InnerExceptions.Count];
        for (int i = 0; i < inner.Length; i++)
        {
            inner[i] = FromRemote(info.InnerExceptions[i], null, null, null);
        }

        return new WorkerException(info.TypeName, info.Message, info.StackTrace, inner, workerName, itemIndex, workerProcessId);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        Append(text, this, 0);
        return text.ToString();
    }

    private static void Append(StringBuilder text, WorkerException e, int depth)
    {
        string indent = new(' ', depth * 3);
        text.Append(indent).Append(typeof(WorkerException).FullName).Append(": ").Append(e.RemoteTypeName).Append(": ").Append(e.Message);
        if (e.WorkerName is not null)
        {
            text.Append(" (in worker ").Append(e.WorkerName);
            if (e.ItemIndex is int item)
            {
                text.Append(", item ").Append(item);
            }

            if (e.WorkerProcessId is int pid)
            {
                text.Append(", pid ").Append(pid);
            }

            text.Append(')');
        }

        text.AppendLine();
        if (!string.IsNullOrEmpty(e.RemoteStackTrace))
        {
            text.Append(indent).AppendLine("--- remote stack trace ---");
            foreach (string line in e.RemoteStackTrace.Split('\n'))
            {
                text.Append(indent).AppendLine(line.TrimEnd('\r'));
            }
        }

        foreach (WorkerException inner in e.InnerExceptions)
        {
            text.Append(indent).AppendLine("--- inner exception ---");
            Append(text, inner, depth + 1);
        }

        if (e.InnerExceptions.Count == 0 && e.InnerException is { } local)
        {
            text.Append(indent).AppendLine("--- inner exception ---").Append(local);
        }

        if (depth == 0 && e.StackTrace is { } here)
        {
            text.AppendLine("--- caller stack trace ---").Append(here);
        }
    }
}
