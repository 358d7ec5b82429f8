using System.Net.Sockets;
using ParallelGen.Protocol;

namespace ParallelGen.Hosting;

/// <summary>
/// A dedicated thread in every worker that no busy task can block: it ends the worker within a second of its
/// parent dying, however the parent died (SIGKILL included), by watching the parent pid; it reports items that
/// overrun the task timeout; and it makes sure an exit that was asked for happens. The channel is watched by
/// the reader thread (end of stream = parent gone); this is the second, independent watch.
/// </summary>
internal sealed class WorkerWatchdog
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ParentExitWindow = TimeSpan.FromMilliseconds(100);

    private readonly WorkerEnvironment _environment;
    private readonly int _originalParent;
    private WorkerSession? _session;

    private WorkerWatchdog(WorkerEnvironment environment, int originalParent)
    {
        _environment = environment;
        _originalParent = originalParent;
    }

    /// <summary>Starts watching the parent named in <paramref name="environment"/>.</summary>
    public static WorkerWatchdog Start(WorkerEnvironment environment)
    {
        int parent = ReadParent();
        if (parent == 1 && environment.ParentProcessId != 1)
        {
            // Already reparented to init before we got here: the pool is gone.
            RemoveEndpoint(environment.Endpoint);
            WorkerExit.Exit(WorkerExitCodes.ParentGone);
        }

        var watchdog = new WorkerWatchdog(environment, parent);
        new Thread(watchdog.Run) { IsBackground = true, Name = "Parallel.Gen worker watchdog" }.Start();
        return watchdog;
    }

    /// <summary>Once connected, the watchdog can report timeouts over the channel.</summary>
    public void Attach(WorkerSession session) => Volatile.Write(ref _session, session);

    /// <summary>
    /// The reader thread saw the channel close. If that is because the parent died, remove the endpoint it left
    /// behind. The kernel closes a dying process's sockets a moment before it reparents its children, so give the
    /// parent pid a moment to change; a channel closed by a live parent costs this short wait only.
    /// </summary>
    public void OnChannelClosed()
    {
        if (_originalParent <= 0)
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < ParentExitWindow)
        {
            if (ReadParent() != _originalParent)
            {
                RemoveEndpoint(_environment.Endpoint);
                return;
            }

            Thread.Sleep(2);
        }
    }

    /// <summary>The parent pid as the OS sees it now, or 0 where it can't be read (Windows: the channel alone is watched).</summary>
    private static int ReadParent()
    {
        if (OperatingSystem.IsWindows())
        {
            return 0;
        }

        try
        {
            return NativeMethods.GetParentProcessId();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>
    /// A parent killed outright leaves its endpoint directory behind; its workers remove it, since only they know
    /// the parent is gone (never earlier: the directory is the live pool's only door).
    /// </summary>
    private static void RemoveEndpoint(string endpoint)
    {
        string? directory = Path.GetDirectoryName(endpoint);
        if (directory is null || !Path.GetFileName(directory).StartsWith("pgen-", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another worker of the same pool got there first, or it was never ours to remove.
        }
    }

    private void Run()
    {
        TimeSpan? taskTimeout = _environment.TaskTimeout;
        bool leaving = false;
        while (true)
        {
            TimeSpan sleep = Tick;
            if (taskTimeout is { } timeout && ItemClock.TryRead(out _, out long startedAt))
            {
                // Wake up right when the running item's time is up.
                TimeSpan left = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(startedAt) + TimeSpan.FromMilliseconds(5);
                sleep = left > TimeSpan.Zero && left < Tick ? left : Tick;
            }

            Thread.Sleep(sleep);
            WorkerExit.EnforceDeadline();
            if (!leaving && _originalParent > 0 && ReadParent() != _originalParent)
            {
                leaving = true;
                // Our parent died and we were reparented: nobody will ever read our results.
                RemoveEndpoint(_environment.Endpoint);
                WorkerExit.ExitSoon(WorkerExitCodes.ParentGone);
                continue;
            }

            if (taskTimeout is { } limit && Volatile.Read(ref _session) is { } session)
            {
                try
                {
                    session.TryDeclareTimeout(limit);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // The channel is gone; the reader thread ends the process.
                }
            }
        }
    }
}
