namespace ParallelGen.Diagnostics;

/// <summary>
/// Reads the managed stacks of every thread of a live worker process, for <see cref="ProcessPoolOptions.CaptureStacksOnTimeout"/>.
/// Parallel.Gen.Diagnostics provides one (ClrMD) and registers it by itself when a program references that package; the core
/// package stays free of debugger libraries.
/// </summary>
public interface IWorkerStackCapture
{
    /// <summary>
    /// Returns the stacks of process <paramref name="processId"/> (a child of this process, still alive) as text, one block per thread.
    /// Throws with a message that says why when it can't (no .NET runtime to read in a Native AOT worker, no permission to attach).
    /// </summary>
    string CaptureStacks(int processId);
}
