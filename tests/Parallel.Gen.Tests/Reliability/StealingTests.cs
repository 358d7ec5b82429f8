using System.Globalization;
using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>Workers for <see cref="StealingTests"/>.</summary>
public static class StealWorkers
{
    /// <summary>
    /// Claims an item by creating its marker file, <c>{markers}/{round}-{x}</c> (creating it twice throws: the item ran
    /// twice), spins a few µs so starts and reclaims overlap, and returns x.
    /// </summary>
    [Worker]
    public static int Once(string marker)
    {
        using (new FileStream(marker, FileMode.CreateNew))
        {
        }

        int x = int.Parse(Path.GetFileName(marker).Split('-')[1], CultureInfo.InvariantCulture);

        long until = System.Diagnostics.Stopwatch.GetTimestamp() + (System.Diagnostics.Stopwatch.Frequency / 100_000 * (x % 4));
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
        }

        return x;
    }

    /// <summary>Returns <paramref name="x"/>, a negative one after sleeping -x ms.</summary>
    [Worker]
    public static int SlowIfNegative(int x)
    {
        if (x < 0)
        {
            Thread.Sleep(-x);
        }

        return x;
    }
}

/// <summary>
/// Pipelining with work stealing: a worker that runs small chunks fast holds several at once, and gives back the ones it has
/// not started when another worker goes idle (Reclaim/Returned), on a cancellation, or when it dies.
/// </summary>
public sealed class StealingTests : IDisposable
{
    private readonly string _markers = Directory.CreateTempSubdirectory("pgen-steal-").FullName;

    public void Dispose() => Directory.Delete(_markers, recursive: true);

    [Fact]
    public async Task Fast_items_queued_behind_a_slow_one_are_reclaimed_and_run_on_the_other_worker()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, PipelineDepth = 4 }, events);
        pool.Map(W.Square, Enumerable.Range(0, 2_000), chunkSize: 1);

        // A backlog of fast items, one slow one, more fast ones: whichever worker takes the slow one has fast ones queued
        // behind it. Timing decides whether it does, so try a few times; every attempt must finish the slow one last.
        bool stolen = false;
        for (int attempt = 0; attempt < 5 && !stolen; attempt++)
        {
            var items = Enumerable.Range(0, 300).Append(-1_500).Concat(Enumerable.Range(300, 40));
            var seen = new List<int>();
            await foreach (int r in pool.ImapUnordered(StealWorkers.SlowIfNegative, items, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
            {
                seen.Add(r);
            }

            Assert.Equal(341, seen.Count);
            Assert.Equal(-1_500, seen[^1]);
            stolen = events.Events.Any(e => e.Kind == "returned" && e.Item > 0);
        }

        Assert.True(stolen, "No worker ever gave back a chunk queued behind the slow one.");
        Assert.DoesNotContain(events.Events, e => e.Kind == "exited");
    }

    [Fact]
    public async Task A_chunk_starting_as_it_is_reclaimed_runs_exactly_once()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, PipelineDepth = 4 }, events);
        for (int round = 0; round < 200; round++)
        {
            // Each round ends with one worker idle while the other may still hold queued chunks: a Reclaim races their start.
            var items = Enumerable.Range(0, 24).Select(x => Path.Combine(_markers, string.Create(CultureInfo.InvariantCulture, $"{round}-{x}")));
            var seen = new List<int>();
            await foreach (int r in pool.ImapUnordered(StealWorkers.Once, items, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
            {
                seen.Add(r);
            }

            seen.Sort();
            Assert.Equal(Enumerable.Range(0, 24), seen);
        }

        // Each item created its marker exactly once (a second run would have thrown), and no worker died.
        Assert.Equal(200 * 24, Directory.GetFiles(_markers).Length);
        Assert.DoesNotContain(events.Events, e => e.Kind == "exited");
    }

    [Fact]
    public async Task A_crash_fails_the_running_chunk_and_hands_the_queued_ones_to_other_workers()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, PipelineDepth = 4 }, events);
        pool.Map(W.Square, Enumerable.Range(0, 2_000), chunkSize: 1);

        // Separate calls, so each item's fate is seen on its own; a backlog makes the workers pipeline.
        Task<int>[] calls = [.. Enumerable.Range(0, 400).Select(i => pool.ApplyAsync(R.CrashOn, _markers, i, 200, CrashKind.Exit))];
        await Task.WhenAll(calls).ContinueWith(_ => { }, TestContext.Current.CancellationToken);

        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => calls[200]);
        Assert.Equal(42, crash.ExitCode);
        for (int i = 0; i < calls.Length; i++)
        {
            if (i != 200)
            {
                Assert.Equal(i, await calls[i]);
            }
        }

        // Every other item ran, once; the crashed worker was replaced.
        Assert.Equal(399, Directory.GetFiles(_markers).Length);
        Assert.Single(events.Exits(WorkerExitReason.Crashed));
    }

    [Fact]
    public async Task A_timeout_fails_only_the_item_that_ran_and_the_queued_ones_run_elsewhere()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, PipelineDepth = 4, TaskTimeout = TimeSpan.FromSeconds(1) }, events);
        pool.Map(W.Square, Enumerable.Range(0, 2_000), chunkSize: 1);

        // The hanging item's worker may hold queued chunks when it is killed: they never started, so they run on another worker.
        Task<int>[] calls = [.. Enumerable.Range(0, 400).Select(i => pool.ApplyAsync(R.HangOn, i, 200))];
        await Task.WhenAll(calls).ContinueWith(_ => { }, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<TaskTimeoutException>(() => calls[200]);
        for (int i = 0; i < calls.Length; i++)
        {
            if (i != 200)
            {
                Assert.Equal(i, await calls[i]);
            }
        }

        // The killed worker's exit is reported once it is gone, which may be after the calls completed.
        await events.WaitForAsync(e => e.Kind == "exited" && e.Reason == WorkerExitReason.TimedOut);
        Assert.Single(events.Exits(WorkerExitReason.TimedOut));
    }

    [Fact]
    public async Task Cancelling_a_stream_while_workers_hold_its_queued_chunks_kills_no_worker()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, PipelineDepth = 4 }, events);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            pool.Map(W.Square, Enumerable.Range(0, 2_000), chunkSize: 1);
            using var cancel = new CancellationTokenSource();

            // Cancel a stream while the workers hold queued chunks of it (only chunks of one call queue behind each other;
            // lone calls such as ApplyAsync never wait at a busy worker): its chunks end, and no worker pays for it.
            var seen = new List<int>();
            try
            {
                await foreach (int r in pool.ImapUnordered(StealWorkers.SlowIfNegative, Enumerable.Range(0, 4_000), chunkSize: 1, cancellationToken: cancel.Token))
                {
                    seen.Add(r);
                    if (seen.Count == 1)
                    {
                        await cancel.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }

            Assert.All(seen, r => Assert.InRange(r, 0, 3_999));
            Assert.InRange(seen.Count, 1, 3_999);
        }

        // Dropped chunks never cost a worker: nothing was killed for ignoring a cancellation, and the pool still works.
        Assert.DoesNotContain(events.Events, e => e.Kind == "exited");
        Assert.Equal(Enumerable.Range(0, 10).Select(x => (long)x * x), pool.Map(W.Square, Enumerable.Range(0, 10)));
    }
}
