namespace ParallelGen.Tests;

/// <summary>The manager's lock and event across processes (issue 12): contention, a holder killed while holding, timeouts.</summary>
public sealed class ManagerSynchronizationTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Three_processes_incrementing_under_the_manager_lock_lose_no_update()
    {
        using var manager = Manager.Start();
        ManagedLock gate = manager.Lock();
        ManagedValue<int> counter = manager.Value(0);

        // The parent holds the lock while the workers start, so they all queue up behind it.
        gate.Acquire();
        WorkerProcess[] workers = [.. Enumerable.Range(0, 3).Select(_ => WorkerProcess.Start(M.IncrementUnderLock, gate, counter, 40))];
        Assert.False(gate.Acquire(TimeSpan.Zero), "The lock is not reentrant: the holding process can't take it again.");
        gate.Release();
        Assert.Throws<SynchronizationLockException>(gate.Release);

        await Task.WhenAll(workers.Select(w => w.Completion)).WaitAsync(Generous, TestContext.Current.CancellationToken);

        Assert.Equal(120, counter.Value);
        Assert.True(gate.Acquire(TimeSpan.Zero));
        gate.Release();
        Assert.Throws<ArgumentOutOfRangeException>(() => gate.Acquire(TimeSpan.FromSeconds(-2)));
    }

    [Fact]
    public async Task A_lock_whose_holder_is_killed_goes_to_the_next_acquirer_as_abandoned()
    {
        using var manager = Manager.Start();
        ManagedLock gate = manager.Lock();
        ManagedEvent holding = manager.Event();
        ManagedEvent never = manager.Event();
        WorkerProcess holder = WorkerProcess.Start(M.HoldLockForever, gate, holding, never);
        try
        {
            Assert.True(holding.Wait(Generous), "The worker never took the lock.");
            Assert.False(gate.Acquire(TimeSpan.FromMilliseconds(100)));

            // A waiter parked in the manager gets the lock the moment the holder's connection drops.
            Task waiting = Task.Run(() => gate.Acquire(Generous), TestContext.Current.CancellationToken);
            holder.Kill();
            await Assert.ThrowsAsync<AbandonedMutexException>(() => waiting.WaitAsync(Generous, TestContext.Current.CancellationToken));
        }
        finally
        {
            holder.Kill();
            holder.Join(Generous);
        }

        // The waiter holds it now: it releases, and the next acquirer hears nothing about the past.
        Assert.False(gate.Acquire(TimeSpan.Zero));
        gate.Release();
        Assert.True(gate.Acquire(Generous));
        gate.Release();
    }

    [Fact]
    public async Task An_abandoned_lock_with_nobody_waiting_tells_the_next_acquirer()
    {
        using var manager = Manager.Start();
        ManagedLock gate = manager.Lock();
        ManagedEvent holding = manager.Event();
        ManagedEvent never = manager.Event();
        WorkerProcess holder = WorkerProcess.Start(M.HoldLockForever, gate, holding, never);
        try
        {
            Assert.True(holding.Wait(Generous), "The worker never took the lock.");
        }
        finally
        {
            holder.Kill();
            holder.Join(Generous);
        }

        // The manager notices the drop a moment after the kill; a generous wait covers that without a sleep.
        var error = await Assert.ThrowsAsync<AbandonedMutexException>(() => Task.Run(() => gate.Acquire(Generous), TestContext.Current.CancellationToken));
        Assert.Contains("abandoned", error.Message, StringComparison.Ordinal);
        gate.Release();
    }

    [Fact]
    public async Task An_event_set_by_the_parent_releases_every_waiting_process()
    {
        using var manager = Manager.Start();
        ManagedEvent go = manager.Event();
        ProcessQueue<int> ready = manager.Queue<int>();
        Assert.False(go.IsSet);
        Assert.False(go.Wait(TimeSpan.Zero));
        Assert.False(go.Wait(TimeSpan.FromMilliseconds(50)));

        WorkerProcess<bool>[] waiters = [.. Enumerable.Range(0, 3).Select(_ => WorkerProcess.Start(M.WaitForEvent, go, ready))];
        for (int i = 0; i < waiters.Length; i++)
        {
            _ = ready.Get(Generous);
        }

        go.Set();
        Assert.True(go.IsSet);
        Assert.All(await Task.WhenAll(waiters.Select(w => w.Completion)).WaitAsync(Generous, TestContext.Current.CancellationToken), Assert.True);
        Assert.True(go.Wait(TimeSpan.Zero));
        go.Clear();
        Assert.False(go.IsSet);
        Assert.False(go.Wait(TimeSpan.FromMilliseconds(50)));
    }
}
