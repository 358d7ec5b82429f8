using System.Diagnostics;

namespace ParallelGen.Tests;

internal static class ProcessAssert
{
    /// <summary>Asserts that every process in <paramref name="pids"/> is gone (or exits within <paramref name="timeout"/>).</summary>
    public static void AllExited(IEnumerable<int> pids, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        foreach (int pid in pids)
        {
            Process process;
            try
            {
                process = Process.GetProcessById(pid);
            }
            catch (ArgumentException)
            {
                continue;
            }

            using (process)
            {
                TimeSpan left = timeout - deadline.Elapsed;
                bool exited = process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                if (!exited)
                {
                    process.Kill();
                }

                Assert.True(exited, $"Worker process {pid} was still running {timeout.TotalSeconds} s after the pool was disposed.");
            }
        }
    }
}
