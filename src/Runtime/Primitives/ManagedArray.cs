using System.Collections;
using ParallelGen.Brokering.Client;
using ParallelGen.Brokering.Managers;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A proxy to a fixed-length array held by a <see cref="Manager"/> (Python's <c>manager.Array(typecode, seq)</c>):
/// every process that has it sees the same items. Pass it to <see cref="WorkerAttribute"/> methods; it travels as a handle.
/// <code>
/// ManagedArray&lt;string&gt; results = manager.Array&lt;string&gt;(4);
/// // in worker i: results[i] = $"done by {Environment.ProcessId}";
/// string[] all = results.ToArray();
/// </code>
/// </summary>
/// <remarks>
/// Unlike <see cref="SharedArray{T}"/> (shared memory, unmanaged types only), it holds any type a worker can
/// take; each index read or write is one round trip to the manager. <see cref="ToArray"/> and enumeration
/// take a snapshot in one round trip.
/// </remarks>
/// <typeparam name="T">The item type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
[WireCodec(typeof(ManagedArrayCodec<>))]
public sealed class ManagedArray<T> : IReadOnlyList<T>
{
    internal ManagedArray(BrokerHandle handle)
    {
        Handle = handle;
    }

    /// <summary>The number of items, fixed at creation.</summary>
    public int Length => Handle.Invoke(BrokerOp.ArrayLength).ReadInt32();

    int IReadOnlyCollection<T>.Count => Length;

    internal BrokerHandle Handle { get; }

    /// <summary>Reads or replaces the item at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the array.</exception>
    /// <exception cref="IOException">The manager is gone.</exception>
    public T this[int index]
    {
        get => WireCodec<T>.FromBytes(Handle.Invoke(BrokerOp.ArrayGet, IndexOperands.Write(index)).ThrowIfError().Payload);
        set => Handle.Invoke(BrokerOp.ArraySet, IndexOperands.Write(index, WireCodec<T>.ToBytes(value))).ThrowIfError();
    }

    /// <summary>A copy of every item, in one round trip (Python's <c>arr[:]</c>).</summary>
    public T[] ToArray() => [.. ItemList.Decode<T>(Handle.Invoke(BrokerOp.ArraySnapshot).ThrowIfError().Payload, "the managed array snapshot")];

    /// <summary>Enumerates a snapshot of the array taken now.</summary>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)ToArray()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"ManagedArray<{typeof(T).Name}> #{Handle.Id} held by {Handle.HostDescription}";
}
