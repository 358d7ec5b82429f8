using System.Diagnostics;

namespace ParallelGen.Hosting;

/// <summary>
/// How a worker leaves when nobody wants its work any more (the parent died or closed the channel): the normal
/// <see cref="Environment.Exit(int)"/>, and if that has not ended the process shortly after (an exit handler
/// that blocks, a runtime waiting on a busy thread), a hard exit enforced by the watchdog thread.
/// </summary>
internal static class WorkerExit
{
    /// <summary>How long <see cref="Environment.Exit(int)"/> gets before the watchdog ends the process itself.</summary>
    private static readonly TimeSpan HardExitAfter = TimeSpan.FromMilliseconds(500);

    private static long s_requestedAt;
    private static int s_exitCode;

    /// <summary>Exits with <paramref name="exitCode"/>; does not return. Safe to call from any thread, more than once.</summary>
    public static void Exit(int exitCode)
    {
        Request(exitCode);
        Environment.Exit(exitCode);
    }

    /// <summary>Asks for an exit without blocking the caller: another thread runs <see cref="Environment.Exit(int)"/>.</summary>
    public static void ExitSoon(int exitCode)
    {
        Request(exitCode);
        try
        {
            new Thread(() => Environment.Exit(exitCode)) { IsBackground = true, Name = "Parallel.Gen worker exit" }.Start();
        }
        catch (OutOfMemoryException)
        {
            Hard(exitCode);
        }
    }

    /// <summary>Called by the watchdog: ends the process now if an exit was asked for and has not happened in time.</summary>
    public static void EnforceDeadline()
    {
        long requestedAt = Volatile.Read(ref s_requestedAt);
        if (requestedAt != 0 && Stopwatch.GetElapsedTime(requestedAt) > HardExitAfter)
        {
            Hard(Volatile.Read(ref s_exitCode));
        }
    }

    private static void Request(int exitCode)
    {
        Volatile.Write(ref s_exitCode, exitCode);
        Interlocked.CompareExchange(ref s_requestedAt, Stopwatch.GetTimestamp(), 0);
    }

    private static void Hard(int exitCode)
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                NativeMethods.ExitImmediately(exitCode);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
            }
        }

        Process.GetCurrentProcess().Kill();
    }
}
