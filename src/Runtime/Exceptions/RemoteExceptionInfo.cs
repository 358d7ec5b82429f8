using ParallelGen.Serialization;

namespace ParallelGen.Exceptions;

/// <summary>
/// An exception as data: what crosses the process boundary instead of the exception object, so an
/// exception type the parent can't rebuild never hangs or breaks the pool.
/// </summary>
internal sealed record RemoteExceptionInfo(string TypeName, string Message, string? StackTrace, IReadOnlyList<RemoteExceptionInfo> InnerExceptions)
{
    private const int MaxDepth = 8;
    private const int MaxInner = 16;

    public static RemoteExceptionInfo From(Exception exception, int depth = 0)
    {
        var inner = new List<RemoteExceptionInfo>();
        if (depth < MaxDepth)
        {
            if (exception is AggregateException aggregate)
            {
                foreach (Exception e in aggregate.InnerExceptions.Take(MaxInner))
                {
                    inner.Add(From(e, depth + 1));
                }
            }
            else if (exception.InnerException is { } e)
            {
                inner.Add(From(e, depth + 1));
            }
        }

        return new RemoteExceptionInfo(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace, inner);
    }

    public void Write(WireWriter writer)
    {
        writer.WriteString(TypeName);
        writer.WriteString(Message);
        writer.WriteString(StackTrace);
        writer.WriteLength(InnerExceptions.Count);
        foreach (RemoteExceptionInfo inner in InnerExceptions)
        {
            inner.Write(writer);
        }
    }

    public static RemoteExceptionInfo Read(ref WireReader reader, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new WireFormatException($"Exception data nests deeper than {MaxDepth} levels.");
        }

        string typeName = reader.ReadString() ?? "System.Exception";
        string message = reader.ReadString() ?? "";
        string? stackTrace = reader.ReadString();
        int count = reader.ReadLength(12, "inner exceptions");
        if (count > MaxInner)
        {
            throw new WireFormatException($"Exception data lists {count} inner exceptions; at most {MaxInner} are sent.");
        }

        var inner = new RemoteExceptionInfo[Math.Max(count, 0)];
        for (int i = 0; i < inner.Length; i++)
        {
            inner[i] = Read(ref reader, depth + 1);
        }

        return new RemoteExceptionInfo(typeName, message, stackTrace, inner);
    }
}
