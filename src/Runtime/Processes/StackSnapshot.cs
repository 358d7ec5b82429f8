using ParallelGen.Diagnostics;

namespace ParallelGen.Processes;

/// <summary>
/// Takes the managed stacks of a worker the pool is about to kill (<see cref="ProcessPoolOptions.CaptureStacksOnTimeout"/>), through
/// the registered <see cref="IWorkerStackCapture"/>, within a bounded time: a capture that can't finish must not keep a stuck
/// worker alive or its caller waiting.
/// </summary>
internal static class StackSnapshot
{
    private static readonly TimeSpan CaptureLimit = TimeSpan.FromSeconds(15);

    /// <summary>The stacks as text, or <see langword="null"/> with <paramref name="failure"/> saying why.</summary>
    public static string? TryCapture(int processId, out string? failure)
    {
        if (WorkerStackCapture.Current is not { } capture)
        {
            failure = $"no stack capture is registered: add a reference to the {WorkerStackCapture.PackageName} package to the program that creates the pool " +
                      "(it registers itself), or call WorkerStackCapture.Register with your own";
            return null;
        }

        Task<string> capturing = Task.Factory.StartNew(() => capture.CaptureStacks(processId), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!capturing.Wait(CaptureLimit))
            {
                failure = $"capturing the stacks of worker process {processId} took longer than {CaptureLimit.TotalSeconds:N0} s";
                return null;
            }

            failure = null;
            return capturing.Result;
        }
        catch (AggregateException e) when (e.InnerException is { } cause)
        {
            failure = $"{capture.GetType().Name} could not capture the stacks of worker process {processId}: {cause.Message}";
            return null;
        }
    }
}
