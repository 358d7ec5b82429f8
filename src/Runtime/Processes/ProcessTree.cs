using System.Diagnostics;

namespace ParallelGen.Processes;

/// <summary>Kills a worker process and what it started, quietly when it is already gone.</summary>
internal static class ProcessTree
{
    public static void Kill(Process? process)
    {
        try
        {
            process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}
