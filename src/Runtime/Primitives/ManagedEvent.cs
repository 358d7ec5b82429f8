using ParallelGen.Brokering.Client;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A proxy to an event held by a <see cref="Manager"/> (Python's <c>manager.Event()</c>): a flag any process
/// can set, clear and wait for. Pass it to <see cref="WorkerAttribute"/> methods; it travels as a handle.
/// <code>
/// ManagedEvent go = manager.Event();
/// // in each worker: go.Wait(); ...
/// go.Set();                                  // every waiting process goes on
/// </code>
/// </summary>
/// <remarks>
/// Waiters are parked in the manager and answered when the flag is set, so nobody polls. A timed-out
/// <see cref="Wait(TimeSpan)"/> leaves no trace in the manager.
/// </remarks>
[WireCodec(typeof(ManagedEventCodec))]
public sealed class ManagedEvent
{
    internal ManagedEvent(BrokerHandle handle)
    {
        Handle = handle;
    }

    /// <summary>Whether the flag is set now (Python's <c>is_set()</c>).</summary>
    public bool IsSet => Handle.Invoke(BrokerOp.EventIsSet).ReadBoolean();

    internal BrokerHandle Handle { get; }

    /// <summary>Sets the flag and wakes every waiting process (Python's <c>set()</c>).</summary>
    /// <exception cref="IOException">The manager is gone.</exception>
    public void Set() => Handle.Invoke(BrokerOp.EventSet).ThrowIfError();

    /// <summary>Clears the flag: later <see cref="Wait()"/> calls wait again (Python's <c>clear()</c>).</summary>
    public void Clear() => Handle.Invoke(BrokerOp.EventClear).ThrowIfError();

    /// <summary>Waits until the flag is set (Python's <c>wait()</c>).</summary>
    /// <exception cref="IOException">The manager is gone.</exception>
    public void Wait() => Wait(Timeout.InfiniteTimeSpan);

    /// <summary>Waits up to <paramref name="timeout"/> for the flag (Python's <c>wait(timeout)</c>).</summary>
    /// <returns><see langword="true"/> if the flag is set; <see langword="false"/> if the timeout passed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative other than <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    /// <exception cref="IOException">The manager is gone.</exception>
    public bool Wait(TimeSpan timeout)
    {
        BrokerHandle.ValidateTimeout(timeout, nameof(timeout));
        bool wait = timeout != TimeSpan.Zero;
        return Handle.Invoke(BrokerOp.EventWait, [wait ? (byte)1 : (byte)0], wait ? timeout : Timeout.InfiniteTimeSpan).ThrowIfError().IsOk;
    }

    /// <inheritdoc/>
    public override string ToString() => $"ManagedEvent #{Handle.Id} held by {Handle.HostDescription}";
}
