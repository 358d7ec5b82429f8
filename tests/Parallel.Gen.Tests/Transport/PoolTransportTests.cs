using System.Diagnostics;

namespace ParallelGen.Tests.Transport;

/// <summary>The pool's option picks the transport its workers talk over: shared-memory rings or the socket alone.</summary>
public sealed class PoolTransportTests
{
    [Theory]
    [InlineData(WorkerTransport.SharedMemory, 2)]
    [InlineData(WorkerTransport.Socket, 0)]
    public void Each_worker_gets_its_own_rings_only_when_shared_memory_is_chosen(WorkerTransport transport, int ringsPerTwoWorkers)
    {
        int before = RingMappings();
        using (var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, Transport = transport }))
        {
            // Both workers answered, so both finished their handshake and upgrade.
            long[] squares = pool.Map(W.Square, Enumerable.Range(0, 64), chunkSize: 1);
            Assert.Equal(Enumerable.Range(0, 64).Select(x => (long)x * x), squares);
            Assert.Equal(before + ringsPerTwoWorkers, RingMappingsSettled(before + ringsPerTwoWorkers));
        }

        Assert.Equal(before, RingMappingsSettled(before));
    }

    [Fact]
    public void Rings_handed_to_workers_that_die_before_their_hello_are_let_go()
    {
        int before = RingMappings();

        // A "worker" that exits at once without reading its stdin: the pool made rings for each of its three tries.
        using (var pool = new ProcessPool(new ProcessPoolOptions { Processes = 1, Transport = WorkerTransport.SharedMemory, WorkerExecutable = "/bin/false" }))
        {
            var error = Assert.Throws<WorkerStartException>(() => pool.Apply(W.Square, 3));
            Assert.Contains("before connecting to the pool", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, RingMappingsSettled(before));
        }

        Assert.Equal(before, RingMappingsSettled(before));
    }

    [Fact]
    public async Task A_worker_process_talks_over_the_rings_it_was_handed_at_launch()
    {
        // A WorkerProcess takes the default transport: shared memory here, also in a run with PARALLELGEN_TRANSPORT=socket.
        string? chosen = Environment.GetEnvironmentVariable("PARALLELGEN_TRANSPORT");
        Environment.SetEnvironmentVariable("PARALLELGEN_TRANSPORT", "shm");
        int before = RingMappings();
        int unlinkedBefore = UnlinkedRingMappings();
        WorkerProcess<int> child;
        try
        {
            child = WorkerProcess.Start(W.Sleep, 3_000);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PARALLELGEN_TRANSPORT", chosen);
        }

        // Still mapped here with its name gone from /dev/shm: the parent unlinks it only when the child's Hello said it mapped
        // the rings (a child that could not map them stays on the socket, and the parent unmaps them instead).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (UnlinkedRingMappings() == unlinkedBefore && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.Equal(unlinkedBefore + 1, UnlinkedRingMappings());
        Assert.Equal(3_000, await child.Completion.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.Equal(before, RingMappingsSettled(before));
    }

    [Fact]
    public void An_idle_pool_on_shared_memory_spins_nowhere()
    {
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, Transport = WorkerTransport.SharedMemory });

        // Busy first, so that every waiting side has learned that replies come fast (its spin budget is at its highest).
        int[] pids = [.. Enumerable.Range(0, 2_000).Select(i => pool.Apply(W.Pid, i)).Distinct()];
        Process[] workers = [.. pids.Select(Process.GetProcessById)];
        TimeSpan used;
        try
        {
            Thread.Sleep(200);
            TimeSpan before = Busy(workers);
            Thread.Sleep(2_000);
            used = Busy(workers) - before;
        }
        finally
        {
            Array.ForEach(workers, w => w.Dispose());
        }

        // Well under 1% of a core per worker while nobody calls: 2 s idle may cost a few ms (GC, timers), never a spin.
        Assert.True(used < TimeSpan.FromMilliseconds(40), $"{workers.Length} idle workers used {used.TotalMilliseconds:N1} ms of CPU in 2 s");
    }

    [Fact]
    public void An_undefined_transport_is_refused_with_a_clear_error()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPool(new ProcessPoolOptions { Transport = (WorkerTransport)42 }));
        Assert.Equal("Transport", error.ParamName);
    }

    private static TimeSpan Busy(Process[] processes)
    {
        long ticks = 0;
        foreach (Process process in processes)
        {
            process.Refresh();
            ticks += process.TotalProcessorTime.Ticks;
        }

        return TimeSpan.FromTicks(ticks);
    }

    /// <summary>The count once it reached <paramref name="expected"/>, or what it is after 10 s (a worker may still be starting, a disposed one still leaving).</summary>
    private static int RingMappingsSettled(int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        int count;
        while ((count = RingMappings()) != expected && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        return count;
    }

    private static int UnlinkedRingMappings() =>
        File.ReadLines("/proc/self/maps").Count(line => line.Contains("/pgen-ring-", StringComparison.Ordinal) && line.EndsWith("(deleted)", StringComparison.Ordinal));

    /// <summary>How many ring regions this process has mapped (unlinked files show as "(deleted)" in the maps).</summary>
    private static int RingMappings() => File.ReadLines("/proc/self/maps").Count(line => line.Contains("/pgen-ring-", StringComparison.Ordinal));
}
