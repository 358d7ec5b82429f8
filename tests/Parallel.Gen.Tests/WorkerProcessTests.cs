namespace ParallelGen.Tests;

public sealed class WorkerProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_void_worker_runs_in_its_own_process_and_exits_with_code_0()
    {
        using var result = new SharedArray<int>(4);
        using var squareSum = new SharedValue<int>(0);

        WorkerProcess p = WorkerProcess.Start(P.SquareList, new[] { 1, 2, 3, 4 }, result, squareSum);
        Assert.NotEqual(Environment.ProcessId, p.Pid);
        Assert.True(p.Join(Generous));

        Assert.Equal(0, p.ExitCode);
        Assert.False(p.IsAlive);
        Assert.True(p.Completion.IsCompletedSuccessfully);
        Assert.Equal(new[] { 1, 4, 9, 16 }, result.ToArray());
        Assert.Equal(30, squareSum.Value);
    }

    [Fact]
    public async Task A_value_returning_worker_hands_its_result_back_through_Completion()
    {
        WorkerProcess<int> p = WorkerProcess.Start(P.Square, 7);

        Assert.Equal(49, await p.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public async Task Workers_of_zero_and_eight_arguments_and_async_workers_all_start()
    {
        WorkerProcess none = WorkerProcess.Start(P.Nothing);
        WorkerProcess<int> eight = WorkerProcess.Start(P.Sum8, 1, 2, 3, 4, 5, 6, 7, 8);
        WorkerProcess<string> later = WorkerProcess.Start(P.EchoLaterAsync, "async");

        await none.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
        Assert.Equal(36, await eight.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal("async", await later.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_throwing_worker_faults_Completion_with_WorkerException_and_exits_with_code_1()
    {
        // Several at once: the exit code the parent asks for must win every time (it once raced the channel closing).
        WorkerProcess[] processes = [.. Enumerable.Range(0, 4).Select(i => WorkerProcess.Start(P.Throw, "no way " + i))];

        foreach (WorkerProcess p in processes)
        {
            await p.WaitAsync(TestContext.Current.CancellationToken).WaitAsync(Generous, TestContext.Current.CancellationToken);

            var error = await Assert.ThrowsAsync<WorkerException>(() => p.Completion);
            Assert.Equal("System.InvalidOperationException", error.RemoteTypeName);
            Assert.Contains("no way", error.Message, StringComparison.Ordinal);
            Assert.Equal(p.Pid, error.WorkerProcessId);
            Assert.Equal(1, p.ExitCode);
        }
    }

    [Fact]
    public async Task A_worker_that_exits_on_its_own_is_reported_as_crashed_with_its_exit_code()
    {
        WorkerProcess<int> p = WorkerProcess.Start(P.ExitWith, 3);

        var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => p.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));

        Assert.Equal(3, error.ExitCode);
        Assert.Equal(3, p.ExitCode);
        Assert.Contains(p.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_stops_a_running_process_and_Join_with_a_timeout_says_whether_it_ended()
    {
        using var signal = new ProcessQueue<string>();
        WorkerProcess p = WorkerProcess.Start(P.SignalThenSleep, signal);
        Assert.Equal("started", signal.Get(Generous));

        Assert.True(p.IsAlive);
        Assert.Null(p.ExitCode);
        Assert.False(p.Join(TimeSpan.FromMilliseconds(100)));

        p.Kill();

        Assert.True(p.Join(Generous));
        Assert.False(p.IsAlive);
        Assert.NotEqual(0, p.ExitCode);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(137, p.ExitCode);
        }

        var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => p.Completion);
        Assert.Contains("killed", error.Message, StringComparison.Ordinal);
        p.Kill();
    }

    [Fact]
    public async Task WaitAsync_honours_its_cancellation_token()
    {
        using var signal = new ProcessQueue<string>();
        WorkerProcess p = WorkerProcess.Start(P.SignalThenSleep, signal);
        try
        {
            Assert.Equal("started", signal.Get(Generous));
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => p.WaitAsync(cancel.Token));
            Assert.True(p.IsAlive);
        }
        finally
        {
            p.Kill();
            p.Join(Generous);
        }
    }

    [Fact]
    public async Task The_child_knows_its_own_pid_and_its_parent()
    {
        var p = WorkerProcess.Start(P.Ids);

        (int pid, int parent, bool isWorker) = await p.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);

        Assert.Equal(p.Pid, pid);
        Assert.Equal(Environment.ProcessId, parent);
        Assert.True(isWorker);
    }

    [Fact]
    public void Join_rejects_a_negative_timeout()
    {
        WorkerProcess p = WorkerProcess.Start(P.Nothing);

        Assert.Throws<ArgumentOutOfRangeException>(() => p.Join(TimeSpan.FromSeconds(-2)));
        p.Join();
        Assert.Equal(0, p.ExitCode);
    }
}
