using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace ParallelGen.Generators.Models;

/// <summary>An immutable array compared by its elements, so models that hold one cache correctly in incremental pipelines.</summary>
/// <remarks>
/// A class, not a struct: the compiler's pipeline types (<c>NodeStateTable&lt;T&gt;</c>, <c>TransformNode&lt;TIn, TOut&gt;</c>,
/// <c>CombineNode</c>'s tuples) instantiated over a reference type share the compiler's precompiled code, while every
/// struct type argument makes the JIT compile them again in each build (measured: ~370 extra methods, most of the
/// generator's time in a cold <c>csc</c>).
/// </remarks>
internal sealed class EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> _items;

    public EquatableArray(ImmutableArray<T> items)
    {
        _items = items;
    }

    public static EquatableArray<T> Empty { get; } = new(ImmutableArray<T>.Empty);

    public int Count => _items.IsDefault ? 0 : _items.Length;

    public T this[int index] => _items[index];

    public ImmutableArray<T> AsImmutableArray() => _items.IsDefault ? ImmutableArray<T>.Empty : _items;

    public bool Equals(EquatableArray<T>? other) => other is not null && (ReferenceEquals(this, other) || AsImmutableArray().SequenceEqual(other.AsImmutableArray()));

    public override bool Equals(object? obj) => Equals(obj as EquatableArray<T>);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (T item in AsImmutableArray())
        {
            hash = unchecked((hash * 31) + (item?.GetHashCode() ?? 0));
        }

        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)AsImmutableArray()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(EquatableArray<T>? left, EquatableArray<T>? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(EquatableArray<T>? left, EquatableArray<T>? right) => !(left == right);
}

internal static class EquatableArray
{
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
        where T : IEquatable<T> => new(items.ToImmutableArray());

    public static EquatableArray<T> ToEquatableArray<T>(this ImmutableArray<T> items)
        where T : IEquatable<T> => items.IsDefaultOrEmpty ? EquatableArray<T>.Empty : new(items);
}
