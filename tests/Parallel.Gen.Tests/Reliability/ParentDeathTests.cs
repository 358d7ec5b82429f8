using System.Diagnostics;
using System.Globalization;

namespace ParallelGen.Tests.Reliability;

/// <summary>The pool's parent as a separate process (tests/Parallel.Gen.TestHost): killed outright, and writing to its console.</summary>
public sealed class ParentDeathTests
{
    /// <summary>The promise is "within a second"; the assertion is generous for a loaded 2-core machine.</summary>
    private static readonly TimeSpan OrphanDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Busy_workers_exit_when_their_parent_is_killed_with_SIGKILL_and_remove_its_endpoint()
    {
        using TestHostProcess host = TestHostProcess.Start("orphans");
        string endpoint = (await host.WaitForLineAsync(l => l.StartsWith("endpoint ", StringComparison.Ordinal)))["endpoint ".Length..];
        int[] workers =
        [
            int.Parse((await host.WaitForLineAsync(l => l.StartsWith("busy ", StringComparison.Ordinal)))["busy ".Length..], CultureInfo.InvariantCulture),
            int.Parse((await host.WaitForLineAsync(l => l.StartsWith("busy ", StringComparison.Ordinal), skip: 1))["busy ".Length..], CultureInfo.InvariantCulture),
        ];
        Assert.True(Directory.Exists(endpoint));

        // SIGKILL: no handler, no finally, no Dispose runs in the parent. One worker spins on the CPU, the other is blocked.
        host.Process.Kill();
        await host.Process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();

        ProcessAssert.AllGone(workers, TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed < OrphanDeadline, $"the orphaned workers took {clock.Elapsed} to exit");
        Assert.False(Directory.Exists(endpoint), $"the killed parent's endpoint {endpoint} was left behind");
    }

    [Fact]
    public async Task Worker_console_output_reaches_the_parents_stdout_and_stderr()
    {
        using TestHostProcess host = TestHostProcess.Start("console", "ünïcode-marker");

        await host.Process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, host.Process.ExitCode);
        Assert.Contains("worker stdout: ünïcode-marker", host.StandardOutput);
        Assert.Contains("done 14", host.StandardOutput);
        Assert.Contains("worker stderr: ünïcode-marker", host.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("worker stderr", string.Join('\n', host.StandardOutput), StringComparison.Ordinal);
    }
}
