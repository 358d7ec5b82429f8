using ParallelGen.Processes;

namespace ParallelGen.Tests.Reliability;

/// <summary>
/// The reliability promises with pipelining on (a worker that runs tiny chunks fast holds up to 16 at once here; pools
/// pipeline by default, see <see cref="ProcessPoolOptions.DefaultPipelineDepth"/>): a crash, a timeout, recycling and
/// ordering must not care how many chunks a worker held. The tests set the depth themselves, so they keep testing pipelining whatever the default;
/// the producer/consumer test runs with the defaults.
/// </summary>
public sealed class PipelineTests : IDisposable
{
    private const int Pipelined = 16;

    [Fact]
    public void Pools_pipeline_by_default() => Assert.True(new ProcessPoolOptions().PipelineDepth >= Pipelined);

    private readonly string _markers = Directory.CreateTempSubdirectory("pgen-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_markers, recursive: true);

    [Fact]
    public async Task A_crash_fails_only_the_running_item_and_every_queued_one_runs_once_elsewhere()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { PipelineDepth = Pipelined, Processes = 2 }, events);
        pool.Map(W.Square, Enumerable.Range(0, 2_000), chunkSize: 1);

        // A thousand separate calls queue up, so each worker holds several when the victim kills its process.
        Task<int>[] calls = [.. Enumerable.Range(0, 1_000).Select(i => pool.ApplyAsync(R.CrashOn, _markers, i, 500, CrashKind.Exit))];
        await Task.WhenAll(calls).ContinueWith(_ => { }, TestContext.Current.CancellationToken);

        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => calls[500]);
        Assert.Equal(42, crash.ExitCode);
        for (int i = 0; i < calls.Length; i++)
        {
            if (i != 500)
            {
                Assert.Equal(i, await calls[i]);
            }
        }

        // Each other item wrote its marker once; only the victim's worker died.
        Assert.Equal(999, Directory.GetFiles(_markers).Length);
        Assert.Single(events.Exits(WorkerExitReason.Crashed));
    }

    [Fact]
    public async Task RetryCrashedItems_retries_the_item_that_crashed_and_nothing_it_held_behind_it()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { PipelineDepth = Pipelined, Processes = 2, RetryCrashedItems = true }, events);
        pool.Map(W.Square, Enumerable.Range(0, 2_000), chunkSize: 1);

        // Item 2 kills its worker the first time only; the chunks queued behind it never started, so they are not retries.
        Task<int>[] calls = [.. Enumerable.Range(0, 600).Select(i => pool.ApplyAsync(R.ExitFirstTime, _markers, i))];
        int[] results = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 600).Select(i => i * 10), results);
        Assert.Single(events.Exits(WorkerExitReason.Crashed));
        Assert.Single(events.Events, e => e.Kind == "retried");
    }

    [Fact]
    public async Task Time_spent_queued_behind_slow_items_does_not_count_against_TaskTimeout()
    {
        var events = new PoolEventLog();

        // One worker, so nothing is stolen: the fast items sent with the slow ones wait behind all three at that worker,
        // longer than TaskTimeout (and than the parent's backstop), though each item runs well within it.
        var options = new ProcessPoolOptions { PipelineDepth = Pipelined, Processes = 1, TaskTimeout = TimeSpan.FromSeconds(1), TimeoutBackstopSlack = TimeSpan.FromMilliseconds(200) };
        using var pool = new ProcessPool(options, events);
        pool.Map(W.Square, Enumerable.Range(0, 2_000), chunkSize: 1);

        int[] items = [.. Enumerable.Range(1, 40), -600, -600, -600, .. Enumerable.Range(41, 40)];
        var seen = new List<int>();
        await foreach (int r in pool.ImapUnordered(StealWorkers.SlowIfNegative, items, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
        {
            seen.Add(r);
        }

        Assert.Equal(items.Order(), seen.Order());
        Assert.DoesNotContain(events.Events, e => e.Kind is "timed out" or "exited");
    }

    [Fact]
    public async Task MaxTasksPerChild_is_never_exceeded_while_tiny_chunks_are_pipelined()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { PipelineDepth = Pipelined, Processes = 2, MaxTasksPerChild = 7 }, events);

        var pids = new List<int>();
        await foreach (int pid in pool.ImapUnordered(W.Pid, Enumerable.Range(0, 300), chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
        {
            pids.Add(pid);
        }

        // Every item ran, no worker ran more than its budget, and each left cleanly (recycled, never crashed).
        Assert.Equal(300, pids.Count);
        Assert.All(pids.CountBy(pid => pid), count => Assert.InRange(count.Value, 1, 7));
        Assert.True(pids.Distinct().Count() >= 300 / 7);
        Assert.Empty(events.Exits(WorkerExitReason.Crashed));
    }

    [Fact]
    public async Task Imap_yields_in_input_order_with_many_tiny_chunks_in_flight_and_a_slow_one_among_them()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { PipelineDepth = Pipelined, Processes = 2 });
        pool.Map(W.Square, Enumerable.Range(0, 2_000), chunkSize: 1);

        int[] items = [.. Enumerable.Range(0, 3_000).Select(i => i == 40 ? -300 : i)];
        var seen = new List<int>();
        await foreach (int r in pool.Imap(StealWorkers.SlowIfNegative, items, chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
        {
            seen.Add(r);
        }

        Assert.Equal(items, seen);
    }

    [Fact]
    public async Task Abandoning_an_unordered_stream_while_workers_hold_chunks_kills_no_worker_and_leaves_the_pool_usable()
    {
        var events = new PoolEventLog();
        using var pool = new ProcessPool(new ProcessPoolOptions { PipelineDepth = Pipelined, Processes = 2 }, events);
        pool.Map(W.Square, Enumerable.Range(0, 2_000), chunkSize: 1);

        // Stop after a few results while the workers hold many more: the rest is dropped, no worker is killed for it.
        int taken = 0;
        await foreach (int r in pool.ImapUnordered(StealWorkers.SlowIfNegative, Enumerable.Range(0, 100_000), chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken))
        {
            if (++taken == 50)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(x => (long)x * x), pool.Map(W.Square, Enumerable.Range(0, 20), chunkSize: 1));
        Assert.DoesNotContain(events.Events, e => e.Kind == "exited");
    }

    [Fact]
    public async Task A_consumer_and_its_producer_started_beside_a_pipelined_map_run_on_different_workers()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2 });
        for (int round = 0; round < 100; round++)
        {
            // Both workers pipeline a burst of fast items when a consumer and its producer come. Lone calls go only to idle
            // workers, one call each, so the producer can't wait behind its blocked consumer. (It once could: a worker that
            // got an empty answer to a Reclaim after it had gone idle parked a second time, and was handed both calls.)
            Task<long[]> burst = pool.MapAsync(W.Square, Enumerable.Range(0, 64), chunkSize: 1, cancellationToken: TestContext.Current.CancellationToken);
            using var queue = new ProcessQueue<int>();
            Task<(long Sum, int Pid)> consumer = pool.ApplyAsync(P.Consume, queue, 20, TestContext.Current.CancellationToken);
            Task<int> producer = pool.ApplyAsync(P.Produce, queue, 1, 20, TestContext.Current.CancellationToken);

            (long sum, int consumerPid) = await consumer.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            int producerPid = await producer.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            await burst.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal(210, sum);
            Assert.NotEqual(consumerPid, producerPid);
        }
    }
}
