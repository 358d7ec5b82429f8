using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generators;

/// <summary>
/// The one rule that decides which types can cross a process boundary and which codec carries
/// each. The generator uses it to emit codecs; the PG0004 analyzer uses the same file to report
/// what fails, with the member path, so the two can never disagree.
/// </summary>
internal static class WireTypeRules
{
    private const string Codecs = "global::ParallelGen.Serialization.";

    /// <summary>Returns the codec type for <paramref name="type"/>, or <see langword="null"/> with <paramref name="problem"/> saying what fails and where.</summary>
    public static string? GetCodec(ITypeSymbol type, string path, out string? problem)
    {
        problem = null;
        string name = TypeName(type);
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
                return Codecs + "BooleanCodec";
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
                return Codecs + "UnmanagedCodec<" + name + ">";
            case SpecialType.System_Decimal:
                return Codecs + "DecimalCodec";
            case SpecialType.System_String:
                return Codecs + "StringCodec";
            case SpecialType.System_DateTime:
                return Codecs + "DateTimeCodec";
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return Codecs + "EnumCodec<" + name + ">";
        }

        if (type is IArrayTypeSymbol array)
        {
            if (array.Rank != 1)
            {
                problem = $"{path}: {Display(type)} (multi-dimensional arrays are not supported yet; use a jagged array)";
                return null;
            }

            if (IsBulkCopyable(array.ElementType))
            {
                return Codecs + "UnmanagedArrayCodec<" + TypeName(array.ElementType) + ">";
            }

            string? element = GetCodec(array.ElementType, path + "[]", out problem);
            return element is null ? null : Codecs + "ArrayCodec<" + TypeName(array.ElementType) + ", " + element + ">";
        }

        if (type is INamedTypeSymbol named)
        {
            if (GetDeclaredCodec(named) is { } declared)
            {
                return declared;
            }

            string metadataName = MetadataName(named);
            switch (metadataName)
            {
                case "System.Guid":
                case "System.TimeSpan":
                case "System.Half":
                    return Codecs + "UnmanagedCodec<" + name + ">";
                case "System.DateTimeOffset":
                    return Codecs + "DateTimeOffsetCodec";
                case "System.DateOnly":
                    return Codecs + "DateOnlyCodec";
                case "System.TimeOnly":
                    return Codecs + "TimeOnlyCodec";
                case "System.Nullable`1":
                {
                    ITypeSymbol inner = named.TypeArguments[0];
                    string? innerCodec = GetCodec(inner, path, out problem);
                    return innerCodec is null ? null : Codecs + "NullableCodec<" + TypeName(inner) + ", " + innerCodec + ">";
                }

                case "System.Collections.Generic.List`1":
                {
                    ITypeSymbol element = named.TypeArguments[0];
                    if (IsBulkCopyable(element))
                    {
                        return Codecs + "UnmanagedListCodec<" + TypeName(element) + ">";
                    }

                    string? elementCodec = GetCodec(element, path + "[]", out problem);
                    return elementCodec is null ? null : Codecs + "ListCodec<" + TypeName(element) + ", " + elementCodec + ">";
                }
            }

            if (named.IsTupleType && named.TupleElements.Length is >= 2 and <= 8)
            {
                var parts = new System.Collections.Generic.List<string>();
                foreach (IFieldSymbol element in named.TupleElements)
                {
                    string? elementCodec = GetCodec(element.Type, path + "." + element.Name, out problem);
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

        problem = $"{path}: {Display(type)} ({Why(type)})";
        return null;
    }

    /// <summary>The codec named by <c>[WireCodec(typeof(...))]</c> on the type, closed over the type's type arguments when open.</summary>
    private static string? GetDeclaredCodec(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.OriginalDefinition.GetAttributes())
        {
            if (attribute.AttributeClass is not { } c || MetadataName(c) != "ParallelGen.Serialization.WireCodecAttribute"
                || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol codec)
            {
                continue;
            }

            if (codec.IsUnboundGenericType)
            {
                if (codec.Arity != type.TypeArguments.Length)
                {
                    return null;
                }

                return TypeName(codec.OriginalDefinition.Construct(type.TypeArguments.ToArray()));
            }

            return TypeName(codec);
        }

        return null;
    }

    /// <summary>The C# name used in generated code: fully qualified, nullable reference annotations dropped (generated code is nullable-oblivious).</summary>
    public static string TypeName(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(FullyQualifiedNoAnnotations);

    /// <summary>Metadata name with namespace, e.g. <c>System.Collections.Generic.List`1</c>.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        INamedTypeSymbol definition = type.OriginalDefinition;
        string ns = definition.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + definition.MetadataName;
    }

    private static readonly SymbolDisplayFormat FullyQualifiedNoAnnotations = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private static bool IsBulkCopyable(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Single or SpecialType.System_Double => true,
        _ => type is INamedTypeSymbol n && MetadataName(n) is "System.Guid" or "System.TimeSpan" or "System.Half",
    };

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

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
        }

        return "this type is not supported by the generated serializers";
    }

    private static bool InheritsFrom(INamedTypeSymbol type, string metadataName)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (MetadataName(t) == metadataName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <c>System.Threading.CancellationToken</c> (a worker parameter filled in by the pool, not serialized).</summary>
    public static bool IsCancellationToken(ITypeSymbol type) => type is INamedTypeSymbol n && MetadataName(n) == "System.Threading.CancellationToken";

    /// <summary>Whether <paramref name="symbol"/> carries <c>[ParallelGen.Worker]</c>.</summary>
    public static bool HasWorkerAttribute(ISymbol symbol) => symbol.GetAttributes().Any(a => a.AttributeClass is { } c && MetadataName(c) == "ParallelGen.WorkerAttribute");
}
