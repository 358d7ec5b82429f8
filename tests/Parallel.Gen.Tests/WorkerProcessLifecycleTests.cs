using System.Text.RegularExpressions;

namespace ParallelGen.Tests;

/// <summary>Terminate, Kill, Join with a timeout, Dispose, names and <see cref="WorkerProcess.ActiveChildren"/>.</summary>
public sealed class WorkerProcessLifecycleTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Terminate_stops_a_child_with_SIGTERM_and_Kill_with_SIGKILL()
    {
        using var signal = new ProcessQueue<string>();
        WorkerProcess terminated = WorkerProcess.Start(P.SignalThenSleep, signal);
        WorkerProcess killed = WorkerProcess.Start(P.SignalThenSleep, signal);
        Assert.Equal("started", signal.Get(Generous));
        Assert.Equal("started", signal.Get(Generous));

        terminated.Terminate();
        killed.Kill();

        Assert.True(terminated.Join(Generous));
        Assert.True(killed.Join(Generous));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(143, terminated.ExitCode);
            Assert.Equal(137, killed.ExitCode);
        }

        var stopped = await Assert.ThrowsAsync<WorkerCrashedException>(() => terminated.Completion);
        Assert.Contains("was terminated", stopped.Message, StringComparison.Ordinal);
        var ended = await Assert.ThrowsAsync<WorkerCrashedException>(() => killed.Completion);
        Assert.Contains("was killed", ended.Message, StringComparison.Ordinal);

        // Neither could remove the runtime's files from the temp directory; they are gone before Completion settles.
        Assert.Empty(ProcessAssert.RuntimeFilesOf([terminated.Pid, killed.Pid]));
    }

    [Fact]
    public async Task Terminate_kills_a_child_that_outlives_the_grace_period()
    {
        using var signal = new ProcessQueue<string>();
        WorkerProcess stubborn = WorkerProcess.Start(Q.IgnoreTerminateThenSleep, signal);
        Assert.Equal("ignoring SIGTERM", signal.Get(Generous));

        stubborn.Terminate(TimeSpan.FromMilliseconds(300));

        Assert.True(stubborn.Join(Generous));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(137, stubborn.ExitCode);
        }

        var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => stubborn.Completion);
        Assert.Contains("terminated and then killed", error.Message, StringComparison.Ordinal);
        Assert.Empty(ProcessAssert.RuntimeFilesOf([stubborn.Pid]));
    }

    [Fact]
    public void Join_with_a_timeout_Dispose_while_running_and_ActiveChildren()
    {
        using var signal = new ProcessQueue<string>();
        WorkerProcess sleeper = WorkerProcess.Start(P.SignalThenSleep, signal);
        try
        {
            Assert.Equal("started", signal.Get(Generous));
            Assert.Matches(new Regex("^WorkerProcess-[0-9]+$"), sleeper.Name);
            sleeper.Name = "sleeper";
            Assert.Equal("sleeper", sleeper.Name);
            Assert.Throws<ArgumentException>(() => sleeper.Name = " ");

            Assert.Contains(sleeper, WorkerProcess.ActiveChildren());
            Assert.False(sleeper.Join(TimeSpan.FromMilliseconds(100)));
            Assert.True(sleeper.IsAlive);

            var refused = Assert.Throws<InvalidOperationException>(sleeper.Dispose);
            Assert.Contains("sleeper", refused.Message, StringComparison.Ordinal);
            Assert.Contains("still running", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            sleeper.Kill();
        }

        Assert.True(sleeper.Join(Generous));
        Assert.DoesNotContain(sleeper, WorkerProcess.ActiveChildren());
        sleeper.Dispose();
        sleeper.Dispose();
        Assert.Throws<ObjectDisposedException>(sleeper.Kill);
        Assert.Throws<ObjectDisposedException>(sleeper.Terminate);
        Assert.Equal(137, OperatingSystem.IsWindows() ? 137 : sleeper.ExitCode);
    }

    [Fact]
    public async Task Start_takes_workers_of_zero_and_eight_parameters_void_or_not()
    {
        using var slots = new SharedArray<int>(7);
        using WorkerProcess<int> zero = WorkerProcess.Start(Q.Pid);
        using WorkerProcess eight = WorkerProcess.Start(Q.Fill8, slots, 1, 2, 3, 4, 5, 6, 7);

        Assert.Equal(zero.Pid, await zero.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.True(eight.Join(Generous));
        Assert.Equal(0, eight.ExitCode);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7 }, slots.ToArray());
        zero.Join();
    }
}
