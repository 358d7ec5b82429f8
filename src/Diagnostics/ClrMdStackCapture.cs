using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.Runtime;

namespace ParallelGen.Diagnostics;

/// <summary>
/// Reads a worker's managed stacks with ClrMD (Microsoft.Diagnostics.Runtime) from a dump the worker's own runtime writes on request
/// (the diagnostics IPC, as <c>dotnet-dump collect</c> does), then walks every thread through the runtime's data access library (the
/// DAC beside the worker's <c>libcoreclr</c>) and deletes the dump. A Native AOT worker has no runtime to read: the capture fails with a
/// message that says so.
/// </summary>
/// <remarks>
/// Not <c>DataTarget.AttachToProcess</c>: the workers are the pool's children, and a ptrace attach from the pool's own process races
/// with the .NET runtime's reaping of its children (its SIGCHLD handler can consume the stop the attach waits for, and the attach's
/// wait can consume the exit the pool waits for), which hung a pool's Dispose. The dump is written by a helper the worker's runtime
/// starts for itself, so nothing in the pool's process ever traces a child.
/// </remarks>
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
        string dump = Path.Combine(Path.GetTempPath(), $"pgen-stacks-{processId}-{Guid.NewGuid():N}.dmp");
        try
        {
            new Microsoft.Diagnostics.NETCore.Client.DiagnosticsClient(processId).WriteDump(Microsoft.Diagnostics.NETCore.Client.DumpType.Normal, dump, logDumpGeneration: false);
            return Read(processId, dump);
        }
        catch (Exception e) when (e is Microsoft.Diagnostics.NETCore.Client.ServerNotAvailableException or TimeoutException)
        {
            throw new NotSupportedException(
                $"process {processId} did not answer on its diagnostics channel ({e.Message}): a Native AOT worker, or one started with DOTNET_EnableDiagnostics=0, can't write a dump", e);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    private static string Read(int processId, string dump)
    {
        using DataTarget target = DataTarget.LoadDump(dump);
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
