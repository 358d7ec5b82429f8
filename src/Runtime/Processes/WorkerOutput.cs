using System.Diagnostics;
using System.Globalization;

namespace ParallelGen.Processes;

/// <summary>
/// Forwards a worker's stdout and stderr to the parent's <see cref="Console.Out"/> and <see cref="Console.Error"/> one whole
/// line at a time, so the output of several workers never interleaves mid-line (a worker's <c>Console.Write</c> pieces are
/// separate writes, which a shared inherited pipe would mix), optionally prefixed with <c>[worker N]</c>.
/// One small thread per stream, blocked in a read while the worker is quiet: no thread-pool thread is held.
/// </summary>
internal static class WorkerOutput
{
    /// <summary>Starts forwarding; the task completes when both streams reached their end (the worker and anything that inherited them exited).</summary>
    public static Task Forward(Process process, int workerIndex, bool prefix)
    {
        string? label = prefix ? string.Create(CultureInfo.InvariantCulture, $"[worker {workerIndex}] ") : null;

        // Reading StandardOutput synchronously makes the streams ours: disposing the Process does not close them, so a
        // worker's last lines (a crash report on stderr) are still read after its exit was noticed.
        Task stdout = Start(process.StandardOutput, Console.Out, label, $"Parallel.Gen worker {workerIndex} stdout");
        Task stderr = Start(process.StandardError, Console.Error, label, $"Parallel.Gen worker {workerIndex} stderr");
        return Task.WhenAll(stdout, stderr);
    }

    private static Task Start(StreamReader source, TextWriter target, string? label, string name)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                Pump(source, target, label);
                done.TrySetResult();
            },
            maxStackSize: 128 * 1024)
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }

    private static void Pump(StreamReader source, TextWriter target, string? label)
    {
        try
        {
            using (source)
            {
                while (source.ReadLine() is { } line)
                {
                    // Console.Out/Error are synchronized writers: one WriteLine is one whole line among all workers' lines.
                    target.WriteLine(label is null ? line : label + line);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The worker's end of the pipe is gone, or the parent's console is: nothing more to forward.
        }
    }
}
