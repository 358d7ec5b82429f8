using Microsoft.Extensions.Logging;

namespace ParallelGen.Tests.Ecosystem;

/// <summary>One log entry with its structured fields.</summary>
internal sealed record LogEntry(LogLevel Level, string EventName, string Message, IReadOnlyDictionary<string, object?> Fields);

/// <summary>An ILogger that keeps every entry, so tests can look for one (and await it instead of sleeping).</summary>
internal sealed class TestLogger : ILogger
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(60);
    private readonly Lock _gate = new();
    private readonly List<LogEntry> _entries = [];
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Done)> _waiters = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = new Dictionary<string, object?>();
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (KeyValuePair<string, object?> pair in pairs)
            {
                fields[pair.Key] = pair.Value;
            }
        }

        var entry = new LogEntry(logLevel, eventId.Name ?? "", formatter(state, exception), fields);
        List<TaskCompletionSource<LogEntry>> matched = [];
        lock (_gate)
        {
            _entries.Add(entry);
            _waiters.RemoveAll(w =>
            {
                if (!w.Match(entry))
                {
                    return false;
                }

                matched.Add(w.Done);
                return true;
            });
        }

        foreach (TaskCompletionSource<LogEntry> done in matched)
        {
            done.TrySetResult(entry);
        }
    }

    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match)
    {
        TaskCompletionSource<LogEntry> done;
        lock (_gate)
        {
            if (_entries.FirstOrDefault(match) is { } seen)
            {
                return seen;
            }

            done = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
        }

        return await done.Task.WaitAsync(WaitTimeout);
    }
}
