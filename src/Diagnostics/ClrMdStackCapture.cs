using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.Runtime;

namespace ParallelGen.Diagnostics;

/// <summary>
/// Reads a worker's managed stacks with ClrMD (Microsoft.Diagnostics.Runtime): attaches to the process (ptrace on Linux: the workers
/// are the pool's children, so no extra privilege is needed where <c>kernel.yama.ptrace_scope</c> is 0 or 1), suspends it, walks every
/// thread through the runtime's own data access library (the DAC beside the worker's <c>libcoreclr</c>), and detaches.
/// Takes a few hundred milliseconds. A Native AOT worker has no runtime to read: the capture fails with a message that says so.
/// </summary>
public sealed class ClrMdStackCapture : IWorkerStackCapture
{
    private ClrMdStackCapture()
    {
    }

    /// <summary>The one instance.</summary>
    public static ClrMdStackCapture Instance { get; } = new();

    /// <summary>
    /// Registers ClrMD as the pool's stack capture. Called at start-up by code the Parallel.Gen generator emits into every program that
    /// references this package; calling it again is harmless.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Register() => WorkerStackCapture.Register(Instance);

    /// <inheritdoc/>
    public string CaptureStacks(int processId)
    {
        using DataTarget target = DataTarget.AttachToProcess(processId, suspend: true);
        if (target.ClrVersions.Length == 0)
        {
            throw new NotSupportedException(
                $"process {processId} has no .NET runtime ClrMD can read: a Native AOT worker compiles the runtime away (publish the workers JIT-compiled to get their stacks)");
        }

        ClrInfo clr = target.ClrVersions[0];
        using ClrRuntime runtime = CreateRuntime(clr);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Managed stacks of worker process {processId}, {runtime.Threads.Length} threads:");
        foreach (ClrThread thread in runtime.Threads)
        {
            if (!thread.IsAlive)
            {
                continue;
            }

            text.AppendLine().AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"Thread {thread.ManagedThreadId} (OS thread {thread.OSThreadId})");
            if (thread.IsFinalizer)
            {
                text.Append(" [finalizer]");
            }

            text.Append(':');
            int frames = 0;
            foreach (ClrStackFrame frame in thread.EnumerateStackTrace())
            {
                // Runtime transition frames ([InlinedCallFrame] ...) say nothing the methods around them don't.
                if (frame.Method is { } method)
                {
                    text.AppendLine().Append("   at ").Append(method.Signature ?? method.Name);
                    frames++;
                }
            }

            if (frames == 0)
            {
                text.AppendLine().Append("   (no managed frames: a runtime thread, or native code ClrMD can't unwind)");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The DAC that ships beside the worker's runtime matches it by construction; ClrMD's own lookup can fail to match it on Linux
    /// (it reads the build id from the target's memory), so that file is tried first and the lookup second.
    /// </summary>
    private static ClrRuntime CreateRuntime(ClrInfo clr)
    {
        string? directory = Path.GetDirectoryName(clr.ModuleInfo.FileName);
        string beside = directory is null ? "" : Path.Combine(directory, OperatingSystem.IsWindows() ? "mscordaccore.dll" : OperatingSystem.IsMacOS() ? "libmscordaccore.dylib" : "libmscordaccore.so");
        return File.Exists(beside) ? clr.CreateRuntime(beside, ignoreMismatch: true) : clr.CreateRuntime();
    }
}
