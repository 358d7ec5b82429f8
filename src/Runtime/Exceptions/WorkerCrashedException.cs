using System.Globalization;

namespace ParallelGen;

/// <summary>
/// The worker process running an item died (it exited, was killed, overflowed its stack, called
/// <see cref="Environment.FailFast(string)"/>, crashed in native code ...) before returning a result. Only the
/// items it held fail (<see cref="FirstItemIndex"/>, <see cref="ItemCount"/>); the pool replaces it and the
/// other items of the call carry on.
/// </summary>
public class WorkerCrashedException : Exception
{
    private readonly string? _how;
    private readonly string? _retryNote;

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

    /// <summary>What a pool reports: which process died how, while running which worker's items. <paramref name="earlier"/> is the crash before a retry.</summary>
    internal WorkerCrashedException(int workerProcessId, int? exitCode, int workerIndex, string workerName, int itemCount, string how, WorkerCrashedException? earlier)
        : base(how, earlier)
    {
        WorkerProcessId = workerProcessId;
        ExitCode = exitCode;
        WorkerIndex = workerIndex;
        WorkerName = workerName;
        ItemCount = itemCount;
        _how = how;
        _retryNote = earlier is null ? null : $" It was the second attempt: worker process {earlier.WorkerProcessId} had died running the same items before.";
    }

    /// <summary>Process id of the worker that died.</summary>
    public int WorkerProcessId { get; }

    /// <summary>Its exit code when known (on Unix, 128 + n when killed by signal n: 137 is SIGKILL).</summary>
    public int? ExitCode { get; }

    /// <summary>The pool slot the worker occupied.</summary>
    public int WorkerIndex { get; }

    /// <summary>The signal that killed the worker on Unix, derived from <see cref="ExitCode"/> (e.g. 9 for SIGKILL), or <see langword="null"/>.</summary>
    public int? Signal => !OperatingSystem.IsWindows() && ExitCode is > 128 and < 160 ? ExitCode - 128 : null;

    /// <summary>The worker method whose items were lost, e.g. <c>Jobs.Square(int)</c>, when known.</summary>
    public string? WorkerName { get; }

    /// <summary>Index (in the call's input) of the first item the worker held, when known; it held <see cref="ItemCount"/> consecutive items.</summary>
    public int? FirstItemIndex { get; private set; }

    /// <summary>How many items the worker held when it died (a chunk), 0 when unknown.</summary>
    public int ItemCount { get; private set; }

    /// <summary>The indices (in the call's input) of the items that failed with this exception; empty when unknown.</summary>
    public IReadOnlyList<int> ItemIndices => FirstItemIndex is int first ? [.. Enumerable.Range(first, ItemCount)] : [];

    /// <inheritdoc/>
    public override string Message => _how is null
        ? base.Message
        : $"Worker process {WorkerProcessId} (slot {WorkerIndex}) {_how} while running {DescribeItems(FirstItemIndex, ItemCount)} of {WorkerName}. " +
          $"The pool replaced it; the other items were not affected.{_retryNote}";

    /// <summary>Describes an exit code, with the signal on Unix: "exit code 137 (signal 9, SIGKILL)".</summary>
    internal static string DescribeExit(int exitCode)
    {
        string text = "exit code " + exitCode.ToString(CultureInfo.InvariantCulture);
        if (OperatingSystem.IsWindows() || exitCode is <= 128 or >= 160)
        {
            return text;
        }

        int signal = exitCode - 128;
        string? name = signal switch { 6 => "SIGABRT", 9 => "SIGKILL", 11 => "SIGSEGV", 15 => "SIGTERM", 4 => "SIGILL", 7 => "SIGBUS", 8 => "SIGFPE", _ => null };
        return text + " (signal " + signal.ToString(CultureInfo.InvariantCulture) + (name is null ? ")" : ", " + name + ")");
    }

    /// <summary>"item 7", "items 4..9" or "3 item(s)".</summary>
    internal static string DescribeItems(int? first, int count) => first switch
    {
        int f when count == 1 => "item " + f.ToString(CultureInfo.InvariantCulture),
        int f => "items " + f.ToString(CultureInfo.InvariantCulture) + ".." + (f + count - 1).ToString(CultureInfo.InvariantCulture),
        _ => count.ToString(CultureInfo.InvariantCulture) + " item(s)",
    };

    /// <summary>The front end knows where the chunk sits in the call's input; the executor only knew its size.</summary>
    internal void AttachItems(int firstItemIndex, int itemCount)
    {
        FirstItemIndex = firstItemIndex;
        ItemCount = itemCount;
    }
}
