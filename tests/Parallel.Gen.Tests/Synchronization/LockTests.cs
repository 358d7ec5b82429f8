using System.Diagnostics;

namespace ParallelGen.Tests.Synchronization;

public sealed class LockTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void Four_processes_incrementing_under_a_ProcessLock_add_up_exactly()
    {
        using var gate = new ProcessLock();
        using var start = new ProcessEvent();
        using var counter = new SharedArray<int>(1);
        using var children = new ChildProcesses();
        for (int i = 0; i < 4; i++)
        {
            children.Add(WorkerProcess.Start(S.IncrementUnderLock, gate, start, counter, 2_000));
        }

        start.Set();
        children.JoinAll();

        Assert.Equal(8_000, counter[0]);
        Assert.False(gate.IsLocked);
    }

    [Fact]
    public async Task A_ProcessRLock_is_reentrant_for_its_thread_and_excludes_other_processes()
    {
        using var rlock = new ProcessRLock();
        using var counter = new SharedArray<int>(1);
        using var children = new ChildProcesses();

        WorkerProcess<bool> prober;
        using (rlock.Lock())
        {
            rlock.Acquire();
            Assert.Equal(2, rlock.RecursionCount);
            prober = children.Add(WorkerProcess.Start(S.TryLockBriefly, rlock));
            Assert.True(prober.Join(Generous), "the prober didn't finish");
            rlock.Release();
        }

        Assert.False(await prober.Completion, "another process took the RLock while this thread held it");
        Assert.Equal(0, rlock.RecursionCount);

        WorkerProcess<int> nested = children.Add(WorkerProcess.Start(S.NestedRLock, rlock, counter, 500));
        for (int i = 0; i < 500; i++)
        {
            using (rlock.Lock())
            using (rlock.Lock())
            {
                counter[0] = counter[0] + 1;
            }
        }

        Assert.Equal(3, await nested.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal(1_000, counter[0]);
    }

    [Fact]
    public void A_ProcessRLock_refuses_a_release_from_a_thread_that_does_not_hold_it()
    {
        using var rlock = new ProcessRLock();
        Assert.Throws<SynchronizationLockException>(rlock.Release);

        rlock.Acquire();
        Exception? fromOtherThread = null;
        var other = new Thread(() => fromOtherThread = Record.Exception(rlock.Release));
        other.Start();
        other.Join();
        Assert.IsType<SynchronizationLockException>(fromOtherThread);
        rlock.Release();
    }

    [Fact]
    public void A_ProcessLock_is_not_reentrant_times_out_and_is_released_by_any_thread()
    {
        using var gate = new ProcessLock();
        Assert.True(gate.Acquire(TimeSpan.Zero));
        Assert.False(gate.Acquire(TimeSpan.Zero));

        var clock = Stopwatch.StartNew();
        Assert.False(gate.Acquire(TimeSpan.FromMilliseconds(200)));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"Acquire(200 ms) gave up after {clock.Elapsed.TotalMilliseconds} ms");

        // Python's Lock: whoever holds it, any thread may release it.
        var releaser = new Thread(gate.Release);
        releaser.Start();
        releaser.Join();
        Assert.False(gate.IsLocked);
        Assert.Throws<SynchronizationLockException>(gate.Release);
    }

    [Fact]
    public async Task AcquireAsync_waits_for_a_release_and_can_be_cancelled()
    {
        using var gate = new ProcessLock();
        gate.Acquire();

        Task waiting = gate.AcquireAsync(TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        gate.Release();
        await waiting.WaitAsync(Generous, TestContext.Current.CancellationToken);
        Assert.True(gate.IsLocked);

        using var cancel = new CancellationTokenSource();
        Task cancelled = gate.AcquireAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Generous, TestContext.Current.CancellationToken));
        gate.Release();
    }

    [Fact]
    public void Locks_held_by_a_killed_process_time_out_then_go_to_the_next_acquirer_with_AbandonedMutexException()
    {
        using var gate = new ProcessLock();
        using var rlock = new ProcessRLock();
        using var events = new ProcessQueue<string>();
        using var children = new ChildProcesses();
        WorkerProcess holder = children.Add(WorkerProcess.Start(S.HoldLocksForever, gate, rlock, events));
        Assert.Equal("holding", events.Get(Generous));

        // While the holder lives, waits time out: false, never an exception.
        Assert.False(gate.Acquire(TimeSpan.FromMilliseconds(300)));
        Assert.False(rlock.Acquire(TimeSpan.FromMilliseconds(300)));

        holder.Kill();
        Assert.True(holder.Join(Generous));

        AbandonedMutexException abandoned = Assert.Throws<AbandonedMutexException>(() => gate.Acquire(Generous));
        Assert.Contains($"process {holder.Pid}", abandoned.Message, StringComparison.Ordinal);
        Assert.True(gate.IsLocked, "after AbandonedMutexException the acquirer holds the lock");
        gate.Release();
        Assert.True(gate.Acquire(TimeSpan.Zero), "the lock works normally after the takeover");
        gate.Release();

        Assert.Throws<AbandonedMutexException>(rlock.Acquire);
        Assert.Equal(1, rlock.RecursionCount);
        rlock.Release();
        Assert.False(rlock.IsHeldByCurrentThread);
    }
}
