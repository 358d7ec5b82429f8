using System.Diagnostics;
using System.Globalization;

namespace ParallelGen.Tests;

internal static class ProcessAssert
{
    /// <summary>Asserts that every process in <paramref name="pids"/> is gone (or exits within <paramref name="timeout"/>).</summary>
    public static void AllExited(IEnumerable<int> pids, TimeSpan timeout) => AllGone(pids, timeout);

    /// <summary>
    /// Asserts that every process in <paramref name="pids"/> is gone within <paramref name="timeout"/>, killing stragglers
    /// so a failing test leaves nothing behind. An exited process whose zombie nobody reaped yet (an orphan whose new
    /// parent is slow to reap) counts as gone. There is no exit signal for a process that is not our child, so this polls.
    /// </summary>
    public static void AllGone(IEnumerable<int> pids, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var alive = new List<int>();
        foreach (int pid in pids)
        {
            while (!IsGone(pid) && clock.Elapsed < timeout)
            {
                Thread.Sleep(20);
            }

            if (!IsGone(pid))
            {
                alive.Add(pid);
                try
                {
                    using Process process = Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (ArgumentException)
                {
                }
                catch (InvalidOperationException)
                {
                }
            }
        }

        Assert.True(alive.Count == 0, $"Worker process(es) {string.Join(", ", alive)} were still running {timeout.TotalSeconds} s later.");
    }

    /// <summary>Whether <paramref name="pid"/> has exited (a zombie counts as exited).</summary>
    public static bool IsGone(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
                char state = stat[stat.LastIndexOf(')') + 2];
                return state is 'Z' or 'X';
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return true;
            }
        }

        try
        {
            using Process process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>
    /// The runtime's debugger and diagnostics files (<c>clr-debug-pipe-&lt;pid&gt;-*</c>, <c>dotnet-diagnostic-&lt;pid&gt;-*</c>)
    /// of <paramref name="pids"/> still in the temp directory: a process removes its own on a clean exit only.
    /// </summary>
    public static List<string> RuntimeFilesOf(IEnumerable<int> pids)
    {
        string[] prefixes = [.. pids.SelectMany(pid =>
        {
            string p = pid.ToString(CultureInfo.InvariantCulture);
            return new[] { "clr-debug-pipe-" + p + "-", "dotnet-diagnostic-" + p + "-" };
        })];
        return [.. Directory.EnumerateFileSystemEntries(Path.GetTempPath())
            .Where(path => prefixes.Any(prefix => Path.GetFileName(path).StartsWith(prefix, StringComparison.Ordinal)))];
    }
}
