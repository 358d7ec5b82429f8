using System.Diagnostics;

namespace ParallelGen.Tests.Reliability;

/// <summary>
/// A blocked <c>Apply</c> caller whose chunk found a worker idle reads that worker's reply itself (it holds the
/// conversation's read gate; the reply thread parks). Every other frame that reader meets, and every way the worker can
/// end while it reads, must come out as on the reply thread: each caller gets its own answer, a crash fails the call
/// promptly with <see cref="WorkerCrashedException"/>, a timeout with <see cref="TaskTimeoutException"/>, and a
/// cancelled call on the same pool still ends promptly.
/// </summary>
public sealed class CallerReadsTests
{
    private static readonly TimeSpan NoHang = TimeSpan.FromMinutes(2);

    [Fact]
    public void Sequential_Applies_over_shared_memory_are_read_by_their_callers()
    {
        using var pool = new ProcessPool(Options(processes: 2));
        WarmUp(pool);
        long before = pool.RepliesReadByCallers;

        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(i + 7, pool.Apply(W.Add, i, 7));
        }

        // Each call found the worker the last one used idle (the dispatcher hands out the most recently parked worker).
        Assert.Equal(200, pool.RepliesReadByCallers - before);
        Assert.Equal(0, pool.CallersReading);
    }

    [Fact]
    public void Over_the_socket_the_reply_thread_reads_every_reply()
    {
        using var pool = new ProcessPool(Options(processes: 1, WorkerTransport.Socket));

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(i + 1, pool.Apply(W.Add, i, 1));
        }

        Assert.Equal(0, pool.RepliesReadByCallers);
    }

    [Fact]
    public async Task Many_threads_calling_Apply_at_once_on_two_workers_each_get_their_own_answer()
    {
        using var pool = new ProcessPool(Options(processes: 2));
        WarmUp(pool);

        // Eight callers race for two workers: some read their worker's replies, the others queue and are answered by
        // whoever reads next (another caller or a reply thread), in any interleaving.
        Task[] callers = [.. Enumerable.Range(0, 8).Select(t => Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < 300; i++)
                {
                    Assert.Equal((t * 10_000) + i, pool.Apply(W.Add, t * 10_000, i));
                }
            },
            TaskCreationOptions.LongRunning))];

        await Task.WhenAll(callers).WaitAsync(NoHang, TestContext.Current.CancellationToken);
        Assert.True(pool.RepliesReadByCallers > 0, "no caller read its own reply: the test did not exercise the read gate");
        Assert.Equal(0, pool.CallersReading);
    }

    [Fact]
    public async Task Apply_while_a_Map_runs_on_the_same_worker_gets_its_own_answer()
    {
        using var pool = new ProcessPool(Options(processes: 1));
        WarmUp(pool);

        // The map keeps the only worker busy; Applies queue behind its chunks, and a caller that finds the worker idle
        // between two chunks reads while the map's next chunk is dispatched.
        Task<long[]> map = Task.Run(() => pool.MapAsync(W.Square, Enumerable.Range(0, 20_000), chunkSize: 50));
        Task applies = Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < 300; i++)
                {
                    Assert.Equal(i * 3, pool.Apply(W.Add, i, i * 2));
                }
            },
            TaskCreationOptions.LongRunning);

        await applies.WaitAsync(NoHang, TestContext.Current.CancellationToken);
        long[] squares = await map.WaitAsync(NoHang, TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(0, 20_000).Select(x => (long)x * x), squares);
    }

    [Fact]
    public async Task Applies_beside_a_pipelined_map_with_stealing_get_their_own_answers()
    {
        // Workers hold several small chunks and give back unstarted ones (Returned frames), which a caller holding the
        // read gate handles like any other frame.
        var options = Options(processes: 2);
        options.PipelineDepth = 4;
        using var pool = new ProcessPool(options);
        WarmUp(pool);

        Task<int[]> map = Task.Run(() => pool.MapAsync(R.HangIfNegative, Enumerable.Range(0, 20_000), chunkSize: 10));
        Task[] callers = [.. Enumerable.Range(0, 3).Select(t => Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < 200; i++)
                {
                    Assert.Equal((t * 1000) + i, pool.Apply(W.Add, t * 1000, i));
                }
            },
            TaskCreationOptions.LongRunning))];

        await Task.WhenAll(callers).WaitAsync(NoHang, TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(0, 20_000), await map.WaitAsync(NoHang, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_worker_killed_while_its_caller_reads_fails_the_Apply_promptly_and_is_replaced()
    {
        using var pool = new ProcessPool(Options(processes: 1));
        WarmUp(pool);
        using var rendezvous = new Rendezvous();

        Task<int> call = Task.Factory.StartNew(() => pool.Apply(CR.WaitAt, rendezvous.Path, 5), TaskCreationOptions.LongRunning);
        using Rendezvous.Arrival running = await rendezvous.NextAsync();
        Assert.Equal(1, pool.CallersReading);

        var killed = Stopwatch.StartNew();
        Process.GetProcessById(running.ProcessId).Kill();
        var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => call.WaitAsync(NoHang, TestContext.Current.CancellationToken));

        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(10), $"the caller learned of the crash after {killed.Elapsed}");
        Assert.Equal(running.ProcessId, error.WorkerProcessId);
        Assert.Contains("died with", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, pool.CallersReading);
        Assert.Equal(9, pool.Apply(W.Add, 4, 5));
    }

    [Fact]
    public async Task A_task_timeout_while_its_caller_reads_fails_the_Apply_with_TaskTimeoutException()
    {
        var options = Options(processes: 1);
        options.TaskTimeout = TimeSpan.FromSeconds(1);
        using var pool = new ProcessPool(options);
        WarmUp(pool);
        int before = pool.Apply(W.Pid, 0);
        using var rendezvous = new Rendezvous();

        Task<int> call = Task.Factory.StartNew(() => pool.Apply(CR.WaitAt, rendezvous.Path, 5), TaskCreationOptions.LongRunning);
        using Rendezvous.Arrival running = await rendezvous.NextAsync();
        Assert.Equal(1, pool.CallersReading);

        // The worker reports the overrun itself (a TimedOut frame, which the caller reads) and is killed.
        var error = await Assert.ThrowsAsync<TaskTimeoutException>(() => call.WaitAsync(NoHang, TestContext.Current.CancellationToken));

        Assert.Equal(before, error.WorkerProcessId);
        Assert.Equal(0, pool.CallersReading);
        Assert.NotEqual(before, pool.Apply(W.Pid, 0));
    }

    [Fact]
    public async Task A_cancellation_on_the_other_worker_while_a_caller_reads_ends_that_call_promptly()
    {
        var options = Options(processes: 2);
        options.CancellationGracePeriod = TimeSpan.FromSeconds(30);
        using var pool = new ProcessPool(options);
        WarmUp(pool);
        using var blocked = new Rendezvous();
        using var cancelled = new Rendezvous();

        Task<int> reader = Task.Factory.StartNew(() => pool.Apply(CR.WaitAt, blocked.Path, 5), TaskCreationOptions.LongRunning);
        using Rendezvous.Arrival readerArrival = await blocked.NextAsync();
        Assert.Equal(1, pool.CallersReading);

        using var cts = new CancellationTokenSource();
        Task<int> call = pool.ApplyAsync(R.AwaitCancellation, cancelled.Path, cts.Token);
        using Rendezvous.Arrival cancelArrival = await cancelled.NextAsync();
        Assert.NotEqual(readerArrival.ProcessId, cancelArrival.ProcessId);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(NoHang, TestContext.Current.CancellationToken));

        // The reading caller is untouched, and gets its answer once released.
        Assert.False(reader.IsCompleted);
        readerArrival.Release();
        Assert.Equal(5, await reader.WaitAsync(NoHang, TestContext.Current.CancellationToken));
        Assert.Contains(cancelArrival.ProcessId, pool.WorkerProcessIds);
    }

    [Fact]
    public async Task A_worker_that_dies_while_idle_is_replaced_although_its_reply_thread_parked()
    {
        using var pool = new ProcessPool(Options(processes: 1));
        WarmUp(pool);
        int first = pool.Apply(W.Pid, 0);

        // Nothing is owed, so nobody reads this worker's transport: its death must still be noticed at once.
        Process.GetProcessById(first).Kill();
        await WaitUntilAsync(() => pool.WorkerProcessIds.Count == 1 && pool.WorkerProcessIds[0] != first, "the dead idle worker was not replaced");

        Assert.NotEqual(first, pool.Apply(W.Pid, 0));
    }

    private static ProcessPoolOptions Options(int processes, WorkerTransport transport = WorkerTransport.SharedMemory) =>
        new() { Processes = processes, Transport = transport, CallersRead = true };

    /// <summary>
    /// Calls until a caller read its own reply: the first calls of a pool are read by the reply thread (it was reading when
    /// they came, and parks once it sees callers waiting). From then on a lone caller always finds the gate free.
    /// </summary>
    private static void WarmUp(ProcessPool pool)
    {
        long before = pool.RepliesReadByCallers;
        for (int i = 0; pool.RepliesReadByCallers == before; i++)
        {
            Assert.True(i < 100, "100 sequential Applies and none read by its caller");
            Assert.Equal(i + 1, pool.Apply(W.Add, i, 1));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}

/// <summary>Workers for <see cref="CallerReadsTests"/>.</summary>
public static class CR
{
    /// <summary>Arrives at the rendezvous, waits until the test releases it (or drops the connection), returns <paramref name="x"/>.</summary>
    [Worker]
    public static int WaitAt(string rendezvous, int x)
    {
        RendezvousClient.ArriveAndWait(rendezvous);
        return x;
    }
}
