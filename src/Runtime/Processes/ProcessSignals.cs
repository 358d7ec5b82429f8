using System.Runtime.InteropServices;

namespace ParallelGen.Processes;

/// <summary>Sends SIGTERM: .NET's <see cref="System.Diagnostics.Process"/> only kills (SIGKILL). Blittable, so AOT-safe with no marshalling.</summary>
internal static partial class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks process <paramref name="pid"/> to stop; <see langword="false"/> when the signal could not be sent (it is already gone).</summary>
    public static bool Terminate(int pid) => !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
