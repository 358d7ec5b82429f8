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
        Assert.Empty(ProcessAssert.RuntimeFilesOf(pids));
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
        Assert.Empty(ProcessAssert.RuntimeFilesOf(pids));
    }
}
