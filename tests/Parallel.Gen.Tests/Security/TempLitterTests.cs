using System.Globalization;
using ParallelGen.Tests.Reliability;

namespace ParallelGen.Tests.Security;

/// <summary>
/// A service that creates pools per request must not fill /tmp: each .NET worker makes <c>clr-debug-pipe-&lt;pid&gt;-*</c> and
/// <c>dotnet-diagnostic-&lt;pid&gt;-*</c> files, removed by the runtime on a clean exit only. Other processes on the machine
/// (other test runs) make such files too, so the tests look only at the pids their pools started.
/// </summary>
public sealed class TempLitterTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Twenty_pools_created_and_disposed_leave_no_new_files_in_the_temp_directory()
    {
        var pids = new HashSet<int>();
        var directories = new List<string>();
        for (int i = 0; i < 20; i++)
        {
            using var pool = new ProcessPool(processes: 2);
            directories.Add(pool.EndpointDirectory);
            pids.UnionWith(pool.Map(W.Pid, Enumerable.Range(0, 8), chunkSize: 1));
        }

        ProcessAssert.AllGone(pids, ExitTimeout);
        Assert.True(pids.Count >= 20, $"Only {pids.Count} worker pids were seen.");
        Assert.Empty(LeftBy(pids));
        Assert.All(directories, d => Assert.False(Directory.Exists(d), $"{d} was left behind"));
    }

    [Fact]
    public void Workers_that_crash_or_are_killed_on_a_timeout_leave_no_runtime_files()
    {
        var pids = new HashSet<int>();
        using (var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, TaskTimeout = TimeSpan.FromMilliseconds(500) }))
        {
            pids.UnionWith(pool.Map(W.Pid, Enumerable.Range(0, 4), chunkSize: 1));

            // A segfault (no runtime cleanup at all), then a hang killed by the timeout.
            string markers = Directory.CreateTempSubdirectory("pgen-test-markers-").FullName;
            try
            {
                Assert.Throws<WorkerCrashedException>(() => pool.StarMap(R.CrashOn, [(markers, 0, 0, CrashKind.Segfault)], chunkSize: 1));
            }
            finally
            {
                Directory.Delete(markers, recursive: true);
            }

            pids.UnionWith(pool.Map(W.Pid, Enumerable.Range(0, 4), chunkSize: 1));
            Assert.Throws<TaskTimeoutException>(() => pool.StarMap(R.HangOn, [(0, 0)], chunkSize: 1));
            pids.UnionWith(pool.Map(W.Pid, Enumerable.Range(0, 4), chunkSize: 1));
        }

        ProcessAssert.AllGone(pids, ExitTimeout);
        Assert.True(pids.Count >= 3, $"Expected replaced workers, saw pids {string.Join(", ", pids)}.");
        Assert.Empty(LeftBy(pids));
    }

    [Fact]
    public async Task A_WorkerProcess_that_is_killed_or_terminated_leaves_no_runtime_files()
    {
        using var signal = new ProcessQueue<string>();
        WorkerProcess killed = WorkerProcess.Start(P.SignalThenSleep, signal);
        WorkerProcess terminated = WorkerProcess.Start(P.SignalThenSleep, signal);
        Assert.Equal("started", signal.Get(ExitTimeout));
        Assert.Equal("started", signal.Get(ExitTimeout));

        killed.Kill();
        terminated.Terminate();

        // Completion settles once the process is gone and its files are removed.
        await Assert.ThrowsAsync<WorkerCrashedException>(() => killed.Completion);
        await Assert.ThrowsAsync<WorkerCrashedException>(() => terminated.Completion);
        HashSet<int> pids = [killed.Pid, terminated.Pid];
        ProcessAssert.AllGone(pids, ExitTimeout);
        Assert.Empty(LeftBy(pids));
    }

    /// <summary>The runtime files of <paramref name="pids"/> still in the temp directory.</summary>
    private static List<string> LeftBy(HashSet<int> pids)
    {
        var prefixes = pids.SelectMany(pid =>
        {
            string p = pid.ToString(CultureInfo.InvariantCulture);
            return new[] { "clr-debug-pipe-" + p + "-", "dotnet-diagnostic-" + p + "-" };
        }).ToArray();
        return [.. Directory.EnumerateFileSystemEntries(Path.GetTempPath())
            .Where(path => prefixes.Any(prefix => Path.GetFileName(path).StartsWith(prefix, StringComparison.Ordinal)))];
    }
}
