using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generators;

/// <summary>Framework types with runtime codecs: collections, tuples and the rest of System.*.</summary>
internal static partial class WireTypeRules
{
    /// <summary>A framework type's runtime codec, or <see langword="null"/> with the problem for a framework type that has none.</summary>
    private static string? ResolveFramework(INamedTypeSymbol named, string path, WireCodecPlans plans, out string? problem)
    {
        problem = null;
        ImmutableArray<ITypeSymbol> args = named.TypeArguments;
        switch (MetadataName(named))
        {
            case "System.Guid":
            case "System.TimeSpan":
            case "System.Half":
            case "System.Int128":
            case "System.UInt128":
            case "System.Numerics.Complex":
                return Codecs + "UnmanagedCodec<" + TypeName(named) + ">";
            case "System.DateTimeOffset":
                return Codecs + "DateTimeOffsetCodec";
            case "System.DateOnly":
                return Codecs + "DateOnlyCodec";
            case "System.TimeOnly":
                return Codecs + "TimeOnlyCodec";
            case "System.Numerics.BigInteger":
                return Codecs + "BigIntegerCodec";
            case "System.Nullable`1":
                return Wrap("NullableCodec", args, [path], plans, out problem);
            case "System.Collections.Generic.List`1":
                return IsBulkCopyable(args[0]) ? Codecs + "UnmanagedListCodec<" + TypeName(args[0]) + ">" : Wrap("ListCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Immutable.ImmutableArray`1":
                return IsBulkCopyable(args[0]) ? Codecs + "UnmanagedImmutableArrayCodec<" + TypeName(args[0]) + ">" : Wrap("ImmutableArrayCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.IEnumerable`1":
                return Wrap("EnumerableCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.IReadOnlyList`1":
                return Wrap("ReadOnlyListCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.IReadOnlyCollection`1":
                return Wrap("ReadOnlyCollectionCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.IList`1":
                return Wrap("ListInterfaceCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.ICollection`1":
                return Wrap("CollectionInterfaceCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.HashSet`1":
                return Wrap("HashSetCodec", args, [path + "[]"], plans, out problem);
            case "System.Collections.Generic.Dictionary`2":
                return Wrap("DictionaryCodec", args, [path + ".Keys[]", path + "[]"], plans, out problem);
            case "System.Collections.Generic.IDictionary`2":
                return Wrap("DictionaryInterfaceCodec", args, [path + ".Keys[]", path + "[]"], plans, out problem);
            case "System.Collections.Generic.IReadOnlyDictionary`2":
                return Wrap("ReadOnlyDictionaryCodec", args, [path + ".Keys[]", path + "[]"], plans, out problem);
            case "System.Collections.Generic.KeyValuePair`2":
                return Wrap("KeyValuePairCodec", args, [path + ".Key", path + ".Value"], plans, out problem);
            case "System.Memory`1":
            case "System.ReadOnlyMemory`1":
                if (IsBulkCopyable(args[0]))
                {
                    return Codecs + (named.Name == "Memory" ? "MemoryCodec<" : "ReadOnlyMemoryCodec<") + TypeName(args[0]) + ">";
                }

                problem = $"{path}: {Display(named)} ({named.Name}<T> is carried only for unmanaged numeric T, copied in bulk; use {Display(args[0])}[] or List<{Display(args[0])}>)";
                return null;
        }

        if (named.IsTupleType)
        {
            return ResolveTuple(named, path, plans, out problem);
        }

        problem = Problem(path, named);
        return null;
    }

    /// <summary>A generic runtime codec over the codecs of <paramref name="args"/>: <c>Codec&lt;T1, C1, T2, C2&gt;</c>.</summary>
    private static string? Wrap(string codec, ImmutableArray<ITypeSymbol> args, string[] paths, WireCodecPlans plans, out string? problem)
    {
        problem = null;
        var parts = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string? argCodec = Resolve(args[i], paths[i], plans, true, out problem);
            if (argCodec is null)
            {
                return null;
            }

            parts.Add(TypeName(args[i]));
            parts.Add(argCodec);
        }

        return Codecs + codec + "<" + string.Join(", ", parts) + ">";
    }

    private static string? ResolveTuple(INamedTypeSymbol tuple, string path, WireCodecPlans plans, out string? problem)
    {
        problem = null;
        if (tuple.TupleElements.Length is < 2 or > 8)
        {
            problem = $"{path}: {Display(tuple)} (value tuples of 2 to 8 elements are carried; use a record for more)";
            return null;
        }

        var parts = new List<string>();
        foreach (IFieldSymbol element in tuple.TupleElements)
        {
            string? elementCodec = Resolve(element.Type, path + "." + element.Name, plans, true, out problem);
            if (elementCodec is null)
            {
                return null;
            }

            parts.Add(TypeName(element.Type));
            parts.Add(elementCodec);
        }

        return Codecs + "TupleCodec<" + string.Join(", ", parts) + ">";
    }
}
