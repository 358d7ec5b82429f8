namespace ParallelGen.Tests.Synchronization;

public sealed class SignalingTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_semaphore_never_lets_more_than_its_count_inside_across_four_processes()
    {
        using var slots = new ProcessSemaphore(initialCount: 2, maximumCount: 2);
        using var start = new ProcessEvent();
        using var inside = new SharedArray<int>(2);
        using var children = new ChildProcesses();
        for (int i = 0; i < 4; i++)
        {
            children.Add(WorkerProcess.Start(S.EnterSemaphore, slots, start, inside, 300));
        }

        start.Set();
        children.JoinAll();

        Assert.Equal(0, inside[0]);
        Assert.InRange(inside[1], 1, 2);
        Assert.Equal(2, slots.CurrentCount);
        Assert.Throws<SemaphoreFullException>(() => slots.Release());
    }

    [Fact]
    public void Semaphore_acquire_times_out_when_empty_and_release_returns_the_previous_count()
    {
        using var slots = new ProcessSemaphore(initialCount: 1, maximumCount: 3);
        Assert.True(slots.Acquire(TimeSpan.Zero));
        Assert.False(slots.Acquire(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(0, slots.Release(2));
        Assert.Equal(2, slots.CurrentCount);
        Assert.Throws<SemaphoreFullException>(() => slots.Release(2));
        Assert.Equal(2, slots.CurrentCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessSemaphore(4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => slots.Acquire(TimeSpan.FromMilliseconds(-5)));
    }

    [Fact]
    public void Notify_wakes_one_waiting_process_and_NotifyAll_the_rest()
    {
        using var condition = new ProcessCondition();
        using var events = new ProcessQueue<string>();
        using var children = new ChildProcesses();
        for (int i = 0; i < 3; i++)
        {
            children.Add(WorkerProcess.Start(S.WaitForNotify, condition, events));
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("waiting", events.Get(Generous));
        }

        // A child says "waiting" holding the lock and releases it only inside Wait: once this process
        // has taken the lock after three "waiting"s, all three children are waiting.
        using (condition.Lock())
        {
            condition.Notify();
        }

        Assert.Equal("woke", events.Get(Generous));
        Assert.False(events.TryGet(out string? extra, TimeSpan.FromMilliseconds(500)), $"Notify() woke more than one waiter ({extra})");

        using (condition.Lock())
        {
            condition.NotifyAll();
        }

        Assert.Equal("woke", events.Get(Generous));
        Assert.Equal("woke", events.Get(Generous));
        children.JoinAll();
    }

    [Fact]
    public void A_condition_needs_its_lock_and_its_wait_times_out_with_the_lock_held_again()
    {
        using var gate = new ProcessLock();
        using var condition = new ProcessCondition(gate);
        Assert.Throws<SynchronizationLockException>(() => condition.Notify());
        Assert.Throws<SynchronizationLockException>(() => condition.Wait(TimeSpan.Zero));

        using (condition.Lock())
        {
            Assert.False(condition.Wait(TimeSpan.FromMilliseconds(100)));
            Assert.True(gate.IsLocked);
            Assert.True(condition.WaitFor(() => true, TimeSpan.Zero));
            Assert.False(condition.WaitFor(() => false, TimeSpan.FromMilliseconds(100)));
            Assert.True(gate.IsLocked);
        }

        Assert.False(gate.IsLocked);
    }

    [Fact]
    public async Task An_event_set_in_one_process_releases_waiters_in_others()
    {
        using var ready = new ProcessEvent();
        using var events = new ProcessQueue<string>();
        using var children = new ChildProcesses();
        WorkerProcess<bool>[] waiters = [.. Enumerable.Range(0, 2).Select(_ => children.Add(WorkerProcess.Start(S.WaitForEvent, ready, events)))];
        Assert.Equal("waiting", events.Get(Generous));
        Assert.Equal("waiting", events.Get(Generous));
        Assert.False(ready.IsSet);

        Task setByChild = ready.WaitAsync(TestContext.Current.CancellationToken);
        children.Add(WorkerProcess.Start(S.SetEvent, ready));
        await setByChild.WaitAsync(Generous, TestContext.Current.CancellationToken);

        Assert.True(ready.IsSet);
        foreach (WorkerProcess<bool> waiter in waiters)
        {
            Assert.True(await waiter.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        }

        ready.Clear();
        Assert.False(ready.Wait(TimeSpan.FromMilliseconds(100)));
        Assert.False(await ready.WaitAsync(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken));
        using var cancel = new CancellationTokenSource();
        Task cancelled = ready.WaitAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Generous, TestContext.Current.CancellationToken));
        children.JoinAll();
    }

    [Fact]
    public void A_wait_sleeps_in_the_kernel_instead_of_spinning()
    {
        using var never = new ProcessEvent();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        TimeSpan before = self.TotalProcessorTime;

        Assert.False(never.Wait(TimeSpan.FromSeconds(1)));

        self.Refresh();
        TimeSpan used = self.TotalProcessorTime - before;

        // A spinning wait burns about the whole second; a futex wait next to nothing (the bound leaves room for the runtime's own threads).
        Assert.True(used < TimeSpan.FromMilliseconds(500), $"waiting 1 s used {used.TotalMilliseconds:F0} ms of CPU");
    }

    [Fact]
    public async Task Three_processes_meet_at_a_barrier_phase_after_phase()
    {
        using var barrier = new ProcessBarrier(3);
        using var arrivals = new SharedArray<int>(3);
        using var children = new ChildProcesses();
        WorkerProcess<int>[] participants = [.. Enumerable.Range(0, 3).Select(slot => children.Add(WorkerProcess.Start(S.MeetAtBarrier, barrier, arrivals, slot, 3)))];

        foreach (WorkerProcess<int> participant in participants)
        {
            Assert.Equal(3, await participant.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        }

        Assert.Equal(3, barrier.CurrentPhaseNumber);
        Assert.Equal(3, barrier.ParticipantsRemaining);
    }

    [Fact]
    public void A_barrier_wait_that_times_out_returns_false_and_withdraws_its_signal()
    {
        using var barrier = new ProcessBarrier(2);
        Assert.False(barrier.SignalAndWait(TimeSpan.FromMilliseconds(150)));
        Assert.Equal(2, barrier.ParticipantsRemaining);
        Assert.Equal(0, barrier.CurrentPhaseNumber);

        // Still usable: two threads make a full set.
        var other = new Thread(() => barrier.SignalAndWait(Generous));
        other.Start();
        Assert.True(barrier.SignalAndWait(Generous));
        other.Join();
        Assert.Equal(1, barrier.CurrentPhaseNumber);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessBarrier(0));
    }
}
