using System.Runtime.InteropServices;

namespace ParallelGen.Hosting;

/// <summary>The two libc calls a worker needs to never outlive its parent. Blittable, so AOT-safe with no marshalling.</summary>
internal static partial class NativeMethods
{
    /// <summary>The parent's pid; it changes (to init or a subreaper) when the parent dies, however it dies.</summary>
    [LibraryImport("libc", EntryPoint = "getppid")]
    internal static partial int GetParentProcessId();

    /// <summary>Ends the process at once: no exit handlers, nothing that a stuck thread could block.</summary>
    [LibraryImport("libc", EntryPoint = "_exit")]
    internal static partial void ExitImmediately(int status);
}
