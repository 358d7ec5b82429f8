using ParallelGen.Serialization;

namespace ParallelGen.Tests.Synchronization;

/// <summary>Each primitive's codec carries a handle to the same shared memory, not a copy (what a worker receives).</summary>
public sealed class HandleTests
{
    [Fact]
    public void A_lock_read_back_from_its_handle_is_the_same_lock()
    {
        using var gate = new ProcessLock();
        using ProcessLock copy = RoundTrip<ProcessLock, ProcessLockCodec>(gate);
        gate.Acquire();
        Assert.True(copy.IsLocked);
        copy.Release();
        Assert.False(gate.IsLocked);
    }

    [Fact]
    public void A_condition_travels_with_its_lock()
    {
        using var gate = new ProcessLock();
        using var condition = new ProcessCondition(gate);
        using ProcessCondition copy = RoundTrip<ProcessCondition, ProcessConditionCodec>(condition);
        using (copy.Lock())
        {
            Assert.True(gate.IsLocked);
            Assert.False(condition.Wait(TimeSpan.FromMilliseconds(10)));
        }

        Assert.False(gate.IsLocked);
    }

    [Fact]
    public void Semaphore_event_and_barrier_handles_share_their_state()
    {
        using var slots = new ProcessSemaphore(2, 5);
        using var ready = new ProcessEvent();
        using var barrier = new ProcessBarrier(4);
        using ProcessSemaphore slotsCopy = RoundTrip<ProcessSemaphore, ProcessSemaphoreCodec>(slots);
        using ProcessEvent readyCopy = RoundTrip<ProcessEvent, ProcessEventCodec>(ready);
        using ProcessBarrier barrierCopy = RoundTrip<ProcessBarrier, ProcessBarrierCodec>(barrier);

        slots.Acquire();
        ready.Set();
        Assert.Equal(1, slotsCopy.CurrentCount);
        Assert.Equal(5, slotsCopy.MaximumCount);
        Assert.True(readyCopy.IsSet);
        Assert.Equal(4, barrierCopy.ParticipantCount);
        Assert.Null(RoundTrip<ProcessEvent, ProcessEventCodec>(null!));
    }

    [Fact]
    public void A_handle_of_one_kind_read_as_another_fails_clearly()
    {
        using var ready = new ProcessEvent();
        using var writer = new WireWriter();
        ProcessEventCodec.Write(writer, ready);
        byte[] bytes = writer.WrittenSpan.ToArray();

        var error = Assert.Throws<WireFormatException>(() =>
        {
            var reader = new WireReader(bytes);
            ProcessLockCodec.Read(ref reader);
        });
        Assert.Contains("Event", error.Message, StringComparison.Ordinal);
    }

    private static T RoundTrip<T, TCodec>(T value)
        where TCodec : IWireCodec<T>
    {
        using var writer = new WireWriter();
        TCodec.Write(writer, value);
        var reader = new WireReader(writer.WrittenSpan.ToArray());
        return TCodec.Read(ref reader);
    }
}
