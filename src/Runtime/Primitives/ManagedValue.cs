using ParallelGen.Brokering.Client;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A proxy to one value held by a <see cref="Manager"/> (Python's <c>manager.Value(typecode, value)</c>):
/// every process that has it reads and writes the same value. Pass it to <see cref="WorkerAttribute"/>
/// methods; it travels as a handle.
/// <code>
/// ManagedValue&lt;string&gt; status = manager.Value("starting");
/// // in a worker: status.Value = "done";
/// </code>
/// </summary>
/// <remarks>
/// Unlike <see cref="SharedValue{T}"/> (shared memory, unmanaged types only, no server), it holds any type a
/// worker can take, at the cost of a round trip to the manager per read or write. A read and a write are two
/// round trips: guard read-modify-write with a <see cref="ManagedLock"/>.
/// </remarks>
/// <typeparam name="T">The value type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
[WireCodec(typeof(ManagedValueCodec<>))]
public sealed class ManagedValue<T>
{
    internal ManagedValue(BrokerHandle handle)
    {
        Handle = handle;
    }

    /// <summary>Reads or replaces the value, one round trip each (Python's <c>.value</c>).</summary>
    /// <exception cref="IOException">The manager is gone.</exception>
    public T Value
    {
        get => WireCodec<T>.FromBytes(Handle.Invoke(BrokerOp.ValueGet).ThrowIfError().Payload);
        set => Handle.Invoke(BrokerOp.ValueSet, WireCodec<T>.ToBytes(value)).ThrowIfError();
    }

    internal BrokerHandle Handle { get; }

    /// <inheritdoc/>
    public override string ToString() => $"ManagedValue<{typeof(T).Name}> #{Handle.Id} held by {Handle.HostDescription}";
}
