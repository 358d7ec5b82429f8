using System.Collections;
using ParallelGen.Brokering.Client;
using ParallelGen.Brokering.Managers;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A proxy to a set held by a <see cref="Manager"/> (<c>manager.Set&lt;T&gt;()</c>; Python has no
/// <c>manager.set()</c>, this is what a <c>manager.dict()</c> used as a set becomes). Every process that has it
/// sees the same items. Pass it to <see cref="WorkerAttribute"/> methods; it travels as a handle.
/// <code>
/// ManagedSet&lt;string&gt; seen = manager.Set&lt;string&gt;();
/// if (seen.Add(url)) Crawl(url);          // only one process gets true for the same url
/// seen.UnionWith(moreUrls);               // the whole collection goes over in one round trip
/// </code>
/// </summary>
/// <remarks>
/// Implements <see cref="ISet{T}"/> and <see cref="IReadOnlySet{T}"/>. Each member is one round trip to the
/// manager; the set operations that take another collection (<see cref="UnionWith"/>, <see cref="IsSubsetOf"/>,
/// ...) send all of its items in that one request. Items are compared by their serialized bytes (for numbers,
/// strings, enums, Guid and tuples or records of them, that is plain equality). Enumeration and
/// <see cref="CopyTo"/> work on a snapshot taken in one round trip.
/// </remarks>
/// <typeparam name="T">The item type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
[WireCodec(typeof(ManagedSetCodec<>))]
public sealed class ManagedSet<T> : ISet<T>, IReadOnlySet<T>
{
    internal ManagedSet(BrokerHandle handle)
    {
        Handle = handle;
    }

    /// <summary>The number of items (Python's <c>len()</c>).</summary>
    public int Count => Handle.Invoke(BrokerOp.SetCount).ReadInt32();

    bool ICollection<T>.IsReadOnly => false;

    internal BrokerHandle Handle { get; }

    /// <summary>Adds <paramref name="item"/>; <see langword="false"/> if it was already there (checked and added in one round trip).</summary>
    /// <exception cref="IOException">The manager is gone.</exception>
    public bool Add(T item) => Handle.Invoke(BrokerOp.SetAdd, WireCodec<T>.ToBytes(item)).ReadBoolean();

    void ICollection<T>.Add(T item) => Add(item);

    /// <summary>Removes <paramref name="item"/>; <see langword="false"/> if it was not there (Python's <c>discard</c>).</summary>
    public bool Remove(T item) => Handle.Invoke(BrokerOp.SetRemove, WireCodec<T>.ToBytes(item)).ReadBoolean();

    /// <summary>Whether <paramref name="item"/> is in the set (Python's <c>in</c>).</summary>
    public bool Contains(T item) => Handle.Invoke(BrokerOp.SetContains, WireCodec<T>.ToBytes(item)).ReadBoolean();

    /// <summary>Removes every item.</summary>
    public void Clear() => Handle.Invoke(BrokerOp.SetClear).ThrowIfError();

    /// <summary>Adds every item of <paramref name="other"/> (Python's <c>|=</c>).</summary>
    public void UnionWith(IEnumerable<T> other) => Modify(SetOperation.UnionWith, other);

    /// <summary>Keeps only the items also in <paramref name="other"/> (Python's <c>&amp;=</c>).</summary>
    public void IntersectWith(IEnumerable<T> other) => Modify(SetOperation.IntersectWith, other);

    /// <summary>Removes every item of <paramref name="other"/> (Python's <c>-=</c>).</summary>
    public void ExceptWith(IEnumerable<T> other) => Modify(SetOperation.ExceptWith, other);

    /// <summary>Keeps the items in exactly one of the two (Python's <c>^=</c>).</summary>
    public void SymmetricExceptWith(IEnumerable<T> other) => Modify(SetOperation.SymmetricExceptWith, other);

    /// <summary>Whether every item is also in <paramref name="other"/> (Python's <c>&lt;=</c>).</summary>
    public bool IsSubsetOf(IEnumerable<T> other) => Compare(SetOperation.IsSubsetOf, other);

    /// <summary>Whether every item of <paramref name="other"/> is in the set (Python's <c>&gt;=</c>).</summary>
    public bool IsSupersetOf(IEnumerable<T> other) => Compare(SetOperation.IsSupersetOf, other);

    /// <summary>Whether the set is a subset of <paramref name="other"/> and smaller (Python's <c>&lt;</c>).</summary>
    public bool IsProperSubsetOf(IEnumerable<T> other) => Compare(SetOperation.IsProperSubsetOf, other);

    /// <summary>Whether the set is a superset of <paramref name="other"/> and larger (Python's <c>&gt;</c>).</summary>
    public bool IsProperSupersetOf(IEnumerable<T> other) => Compare(SetOperation.IsProperSupersetOf, other);

    /// <summary>Whether the set and <paramref name="other"/> share an item (Python's <c>not isdisjoint()</c>).</summary>
    public bool Overlaps(IEnumerable<T> other) => Compare(SetOperation.Overlaps, other);

    /// <summary>Whether the set holds exactly the items of <paramref name="other"/> (Python's <c>==</c>).</summary>
    public bool SetEquals(IEnumerable<T> other) => Compare(SetOperation.SetEquals, other);

    /// <summary>A copy of the whole set, in one round trip (Python's <c>set(s)</c>).</summary>
    public HashSet<T> ToHashSet() => [.. ItemList.Decode<T>(Handle.Invoke(BrokerOp.SetSnapshot).ThrowIfError().Payload, "the shared set snapshot")];

    /// <summary>Copies a snapshot of the set into <paramref name="array"/> from <paramref name="arrayIndex"/>.</summary>
    public void CopyTo(T[] array, int arrayIndex) => ToHashSet().CopyTo(array, arrayIndex);

    /// <summary>Enumerates a snapshot of the set taken now.</summary>
    public IEnumerator<T> GetEnumerator() => ToHashSet().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"ManagedSet<{typeof(T).Name}> #{Handle.Id} held by {Handle.HostDescription}";

    private void Modify(SetOperation operation, IEnumerable<T> other) => Handle.Invoke(BrokerOp.SetModify, ItemList.Encode(other, (byte)operation)).ThrowIfError();

    private bool Compare(SetOperation operation, IEnumerable<T> other) => Handle.Invoke(BrokerOp.SetCompare, ItemList.Encode(other, (byte)operation)).ReadBoolean();
}
