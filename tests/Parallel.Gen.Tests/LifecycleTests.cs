namespace ParallelGen.Tests;

public sealed class LifecycleTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Dispose_leaves_no_worker_process_and_no_endpoint_directory()
    {
        int[] pids;
        string directory;
        using (var pool = new ProcessPool(processes: 2))
        {
            pids = [.. pool.Map(W.Pid, Enumerable.Range(0, 100), chunkSize: 1).Distinct()];
            directory = pool.EndpointDirectory;
            Assert.True(Directory.Exists(directory));
        }

        ProcessAssert.AllExited(pids, ExitTimeout);
        Assert.False(Directory.Exists(directory), $"{directory} was left behind");
    }

    [Fact]
    public void Processes_below_one_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(processes: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(new ProcessPoolOptions { Processes = -1 }));
    }

    [Fact]
    public void The_default_size_is_the_processor_count()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions());

        Assert.Equal(Environment.ProcessorCount, pool.Processes);
    }

    [Fact]
    public void Close_refuses_new_work_and_Join_waits_for_the_workers_to_exit()
    {
        var pool = new ProcessPool(processes: 2);
        try
        {
            int[] pids = [.. pool.Map(W.Pid, Enumerable.Range(0, 50), chunkSize: 1).Distinct()];
            pool.Close();

            Assert.Throws<InvalidOperationException>(() => pool.Apply(W.Add, 1, 2));
            pool.Join();

            ProcessAssert.AllExited(pids, TimeSpan.FromSeconds(1));
        }
        finally
        {
            pool.Dispose();
        }
    }

    [Fact]
    public async Task Join_lets_outstanding_calls_finish()
    {
        using var pool = new ProcessPool(processes: 2);
        Task<int> running = pool.ApplyAsync(W.Sleep, 300, TestContext.Current.CancellationToken);
        pool.Close();

        await pool.JoinAsync();

        Assert.Equal(300, await running);
    }

    [Fact]
    public void Join_on_an_open_pool_is_an_error()
    {
        using var pool = new ProcessPool(processes: 1);

        Assert.Throws<InvalidOperationException>(() => pool.Join());
    }

    [Fact]
    public async Task Terminate_ends_pending_calls_instead_of_leaving_them_waiting()
    {
        var pool = new ProcessPool(processes: 1);
        try
        {
            Task<int> running = pool.ApplyAsync(W.Sleep, 30_000, TestContext.Current.CancellationToken);
            Task<int> queued = pool.ApplyAsync(W.Sleep, 30_000, TestContext.Current.CancellationToken);
            await Task.Delay(500, TestContext.Current.CancellationToken);

            var clock = System.Diagnostics.Stopwatch.StartNew();
            pool.Terminate();

            await Assert.ThrowsAnyAsync<Exception>(() => running);
            await Assert.ThrowsAnyAsync<Exception>(() => queued);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"pending calls took {clock.Elapsed} to end");
            Assert.Throws<InvalidOperationException>(() => pool.Apply(W.Add, 1, 2));
        }
        finally
        {
            pool.Dispose();
        }
    }

    [Fact]
    public void A_disposed_pool_throws_ObjectDisposedException()
    {
        var pool = new ProcessPool(processes: 1);
        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pool.Apply(W.Add, 1, 2));
        pool.Dispose();
    }
}
