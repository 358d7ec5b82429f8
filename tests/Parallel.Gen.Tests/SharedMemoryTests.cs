using System.Diagnostics;
using ParallelGen.Serialization;

namespace ParallelGen.Tests;

[Collection(SharedPoolDefinition.Name)]
public sealed class SharedMemoryTests(SharedPoolFixture fixture)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public void Four_processes_making_500_locked_increments_each_add_up_exactly()
    {
        using var counter = new SharedValue<int>(0);

        WorkerProcess[] processes = [.. Enumerable.Range(0, 4).Select(_ => WorkerProcess.Start(P.Increment, counter, 500))];
        foreach (WorkerProcess p in processes)
        {
            Assert.True(p.Join(Generous), $"process {p.Pid} did not finish");
            Assert.Equal(0, p.ExitCode);
        }

        Assert.Equal(2000, counter.Value);
    }

    [Fact]
    public async Task A_lock_held_by_a_killed_process_is_taken_over_by_the_next_waiter_with_AbandonedMutexException()
    {
        using var value = new SharedValue<int>(0);
        using var signal = new ProcessQueue<string>();
        WorkerProcess holder = WorkerProcess.Start(P.HoldLockForever, value, signal);
        Assert.Equal("locked", signal.Get(Generous));

        // While the holder lives, TryLock times out; once it is dead, the next taker gets the lock with AbandonedMutexException.
        Assert.False(value.TryLock(TimeSpan.FromMilliseconds(200), out ProcessLockScope none));
        Assert.Equal(default, none);

        holder.Kill();
        Assert.True(holder.Join(Generous));

        var clock = Stopwatch.StartNew();
        Task<int> locked = Task.Run(() =>
        {
            var abandoned = Assert.Throws<AbandonedMutexException>(() => value.Lock());
            Assert.Contains("half-updated", abandoned.Message, StringComparison.Ordinal);
            int seen = value.Value;
            value.Unlock();
            Assert.True(value.TryLock(TimeSpan.Zero, out ProcessLockScope held));
            using (held)
            {
                return seen;
            }
        });

        Assert.Equal(7, await locked.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal(1, value.Block.AbandonedCount);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"recovering the lock took {clock.Elapsed}");
    }

    [Fact]
    public void The_lock_is_reentrant_for_its_holder_and_refuses_a_release_it_does_not_own()
    {
        using var value = new SharedValue<long>(1);
        using (value.Lock())
        {
            using (value.Lock())
            {
                value.Value += 1;
            }
        }

        Assert.Equal(2, value.Value);
        Assert.Throws<SynchronizationLockException>(() => value.Block.ExitLock());
    }

    [Fact]
    public void Pool_workers_write_into_one_shared_array()
    {
        using var array = new SharedArray<double>(16);

        int[] pids = fixture.Pool.StarMap(P.FillSlot, Enumerable.Range(0, 16).Select(i => (array, i)), chunkSize: 1);

        Assert.Equal(Enumerable.Range(0, 16).Select(i => i * 1.5), array.ToArray());
        Assert.DoesNotContain(Environment.ProcessId, pids);
    }

    [Fact]
    public async Task Handles_travel_inside_arrays_tuples_and_lists()
    {
        using var one = new SharedValue<int>(1);
        using var two = new SharedValue<int>(2);
        using var array = new SharedArray<int>([3, 4]);
        using var queue = new ProcessQueue<int>();

        SharedValue<int>[] values = [one, two];
        (ProcessQueue<int>, List<SharedArray<int>>) more = (queue, [array]);

        int fromPool = await fixture.Pool.ApplyAsync(P.SumAndReport, values, more, TestContext.Current.CancellationToken);
        int fromProcess = await WorkerProcess.Start(P.SumAndReport, values, more).Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);

        Assert.Equal(10, fromPool);
        Assert.Equal(10, fromProcess);
        Assert.Equal(10, queue.Get(Generous));
        Assert.Equal(10, queue.Get(Generous));
    }

    [Fact]
    public async Task A_value_larger_than_a_machine_word_crosses_intact()
    {
        using var value = new SharedValue<decimal>(12345.6789m);

        Assert.Equal(12345.6789m, await fixture.Pool.ApplyAsync(P.ReadDecimal, value, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_creator_disposing_removes_the_name_but_a_child_that_mapped_it_keeps_working()
    {
        var array = new SharedArray<int>(2);
        string path = array.Block.Path;
        using var attached = new ProcessQueue<string>();
        using var go = new ProcessQueue<string>();
        WorkerProcess<int> child = WorkerProcess.Start(P.WriteAfterSignal, array, attached, go);
        Assert.Equal("attached", attached.Get(Generous));

        array.Dispose();
        Assert.False(File.Exists(path), $"{path} is still there after its creator disposed it");

        go.Put("go");
        Assert.Equal(42, await child.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_handle_opened_after_its_creator_disposed_it_fails_clearly()
    {
        byte[] handle;
        using (var array = new SharedArray<int>(3))
        using (var writer = new WireWriter())
        {
            SharedArrayCodec<int>.Write(writer, array);
            handle = writer.WrittenSpan.ToArray();
        }

        var error = Assert.Throws<ObjectDisposedException>(() =>
        {
            var reader = new WireReader(handle);
            SharedArrayCodec<int>.Read(ref reader);
        });
        Assert.Contains("disposed it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_backing_file_is_private_to_the_user_and_gone_after_Dispose()
    {
        string path;
        using (var array = new SharedArray<byte>(10))
        {
            path = array.Block.Path;
            Assert.True(File.Exists(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Array_members_behave_like_an_array()
    {
        using var array = new SharedArray<int>([5, 6, 7]);

        Assert.Equal(3, array.Length);
        Assert.Equal(6, array[1]);
        array.AsSpan()[2] = 70;
        using (array.Lock())
        {
            array[0] += 1;
        }

        Assert.Equal(new[] { 6, 6, 70 }, array.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => array[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => array[-1] = 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedArray<int>(-1));

        array.Dispose();
        Assert.Throws<ObjectDisposedException>(() => array[0]);
        Assert.Throws<ObjectDisposedException>(() => array.AsSpan());
        array.Dispose();
    }

    [Fact]
    public void A_value_starts_at_its_initial_value_and_refuses_use_after_Dispose()
    {
        var value = new SharedValue<double>(2.5);
        Assert.Equal(2.5, value.Value);
        value.Value = 3.5;
        Assert.Equal(3.5, value.Value);

        value.Dispose();
        Assert.Throws<ObjectDisposedException>(() => value.Value);
        Assert.Throws<ObjectDisposedException>(() => value.Lock());
    }
}
