using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generators;

/// <summary>What PG0004 says when a type can't cross the boundary.</summary>
internal static partial class WireTypeRules
{

    private static string Display(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    /// <summary>The name generated code uses for the type in error messages: namespace-qualified, without <c>global::</c>.</summary>
    internal static string FullDisplay(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

    /// <summary>
    /// <see cref="FullDisplay(ITypeSymbol)"/> from the type's <see cref="TypeName"/>, when that is a plain dotted name (no type
    /// arguments, tuple, array, pointer or escaped keyword): then the two formats differ only by the <c>global::</c> prefix,
    /// and a symbol display per codec is saved.
    /// </summary>
    internal static string FullDisplay(ITypeSymbol type, string typeName)
    {
        const string Global = "global::";
        return typeName.StartsWith(Global, System.StringComparison.Ordinal) && typeName.IndexOfAny(NotDotted, Global.Length) < 0
            ? typeName.Substring(Global.Length)
            : FullDisplay(type);
    }

    private static readonly char[] NotDotted = ['<', '(', '[', '*', ':', '?', ' ', '@'];

    private static string Problem(string path, ITypeSymbol type) => $"{path}: {Display(type)} ({Why(type)})";

    private static string Why(ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Delegate)
        {
            return "a delegate is code bound to this process; pass a [Worker] method's data instead";
        }

        if (type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return "a pointer is an address in this process's memory";
        }

        if (type.TypeKind == TypeKind.Error)
        {
            return "the type could not be resolved";
        }

        if (type.TypeKind == TypeKind.TypeParameter)
        {
            return "a type parameter; [Worker] signatures need concrete types";
        }

        if (type.TypeKind == TypeKind.Dynamic || type.SpecialType == SpecialType.System_Object)
        {
            return "it can hold anything; declare the concrete type, or an abstract base that lists its types with [WorkerKnownType]";
        }

        if (type is INamedTypeSymbol named)
        {
            string metadataName = MetadataName(named);
            if (metadataName is "System.IntPtr" or "System.UIntPtr" || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
            {
                return "a native handle or address only means something in this process";
            }

            if (metadataName.StartsWith("System.Threading.Tasks.Task", System.StringComparison.Ordinal) || metadataName.StartsWith("System.Threading.Tasks.ValueTask", System.StringComparison.Ordinal))
            {
                return "a Task is a promise inside this process; pass its result";
            }

            if (metadataName is "ParallelGen.ProcessPool" or "ParallelGen.WorkerPool")
            {
                return "a pool belongs to the process that created it; workers can't use it";
            }

            if (InheritsFrom(named, "System.IO.Stream"))
            {
                return "a stream wraps a handle of this process; pass its bytes";
            }

            if (metadataName is "System.Threading.Thread" or "System.Threading.CancellationTokenSource")
            {
                return "it belongs to this process";
            }

            if (metadataName == "System.Threading.CancellationToken")
            {
                return "a CancellationToken travels only as a [Worker] parameter of its own, which the pool fills in";
            }

            if (InheritsFrom(named, "System.Exception"))
            {
                return "an exception is not data; pass its message, or a record of what the worker needs";
            }

            if (named.IsRefLikeType)
            {
                return "a ref struct lives on this thread's stack; use an array or Memory<T>";
            }

            if (named.AllInterfaces.Any(i => MetadataName(i) == "System.Collections.IEnumerable"))
            {
                return "this collection type is not carried; use T[], List<T>, Dictionary<K, V>, HashSet<T>, ImmutableArray<T> or IReadOnlyList<T>";
            }
        }

        return "this type is not carried by the generated serializers (see docs/serialization.md for the types that are)";
    }
}
