using System.Globalization;
using ParallelGen.Platform;

namespace ParallelGen.Processes;

/// <summary>
/// The files the .NET runtime of a worker makes in the temp directory for debuggers and diagnostics tools
/// (<c>clr-debug-pipe-&lt;pid&gt;-*-in/out</c>, <c>dotnet-diagnostic-&lt;pid&gt;-*-socket</c>). A worker that exits normally
/// removes its own; one that was killed or crashed can't. The pool removes them for the workers it started and saw exit:
/// only FIFOs and sockets this user owns, never through a link. Diagnostics stay on in workers (dotnet-trace, dotnet-dump
/// and stack capture attach to them), so the files exist while a worker runs.
/// </summary>
internal static class WorkerRuntimeFiles
{
    /// <summary>Removes what exited worker <paramref name="processId"/> left; best effort, quiet on failure.</summary>
    public static void RemoveFor(int processId)
    {
        if (!UnixFileStatus.IsSupported || processId <= 0)
        {
            return;
        }

        string directory = Path.GetTempPath();
        string pid = processId.ToString(CultureInfo.InvariantCulture);
        try
        {
            foreach (string path in Directory.EnumerateFileSystemEntries(directory, "clr-debug-pipe-" + pid + "-*"))
            {
                TryRemove(path);
            }

            foreach (string path in Directory.EnumerateFileSystemEntries(directory, "dotnet-diagnostic-" + pid + "-*-socket"))
            {
                TryRemove(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void TryRemove(string path)
    {
        try
        {
            // FIFOs and sockets only (what the runtime makes), of this user: a link or someone else's file by that name stays.
            if (UnixFileStatus.OfPath(path) is { Kind: UnixFileKind.Other } status && status.OwnerId == UnixFileStatus.CurrentUserId)
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
