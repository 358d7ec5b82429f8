using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generators;

/// <summary>How types and codecs are named in generated code, and the small symbol tests the rules share.</summary>
internal static partial class WireTypeRules
{
    /// <summary>
    /// The name of a generated codec struct: readable (the type's name) and unique (a hash of its full name), e.g.
    /// <c>Order_WireCodec_1a2b3c4d</c>. The same type gets the same name in every assembly.
    /// </summary>
    /// <param name="type">The type.</param>
    /// <param name="kind">What the codec does: <c>WireCodec</c>, <c>WireUnion</c> or <c>WireEnum</c>.</param>
    /// <param name="typeName">The type's <see cref="TypeName"/>, which the caller has spelled already.</param>
    private static string CodecName(INamedTypeSymbol type, string kind, string typeName)
    {
        uint hash = 2166136261;
        foreach (char ch in kind)
        {
            hash = unchecked((hash ^ ch) * 16777619);
        }

        hash = unchecked((hash ^ ':') * 16777619);
        foreach (char ch in typeName)
        {
            hash = unchecked((hash ^ ch) * 16777619);
        }

        return type.Name + "_" + kind + "_" + hash.ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>The C# name used in generated code: fully qualified, nullable reference annotations dropped (generated code is nullable-oblivious).</summary>
    /// <remarks>
    /// The keyword types (and one-dimensional arrays of them) and plain top-level types are spelled without the symbol
    /// display machinery: they are most of the types a codec names, and each display costs more than the rest of naming it.
    /// </remarks>
    public static string TypeName(ITypeSymbol type) =>
        Keyword(type.SpecialType)
        ?? (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: var element } && Keyword(element) is { } keyword ? keyword + "[]" : null)
        ?? PlainTypeName(type)
        ?? type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(FullyQualifiedNoAnnotations);

    /// <summary>
    /// <c>global::Namespace.Name</c> for a non-generic, non-nested type whose name and namespace need no escaping; otherwise
    /// <see langword="null"/>, and the display spells it.
    /// </summary>
    private static string? PlainTypeName(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol
            {
                Arity: 0, ContainingType: null, IsTupleType: false, IsNativeIntegerType: false, SpecialType: SpecialType.None,
                TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Enum or TypeKind.Interface or TypeKind.Delegate,
            } named
            || !IsPlainIdentifier(named.Name))
        {
            return null;
        }

        string prefix = named.ContainingNamespace is { IsGlobalNamespace: false } ns ? GlobalPrefix.GetValue(ns, SpellGlobalPrefix) : "global::";
        return prefix.Length == 0 ? null : prefix + named.Name;
    }

    /// <summary>Each namespace as generated code qualifies it (<c>global::Contoso.Orders.</c>), or "" when a part needs escaping.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<INamespaceSymbol, string> GlobalPrefix = new();

    private static string SpellGlobalPrefix(INamespaceSymbol ns)
    {
        for (INamespaceSymbol? part = ns; part is { IsGlobalNamespace: false }; part = part.ContainingNamespace)
        {
            if (!IsPlainIdentifier(part.Name))
            {
                return "";
            }
        }

        // A namespace's metadata name is its C# name: the dotted prefix MetadataName spells is the same text.
        return "global::" + NamespacePrefix.GetValue(ns, JoinNames);
    }

    /// <summary>A name the display writes as it is: not a keyword, nor a contextual one (which some positions escape).</summary>
    internal static bool IsPlainIdentifier(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None
        && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetContextualKeywordKind(name) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None;

    /// <summary>The C# keyword <see cref="FullyQualifiedNoAnnotations"/> spells a special type with (not <c>nint</c>, which depends on how it was written).</summary>
    internal static string? Keyword(SpecialType type) => type switch
    {
        SpecialType.System_Boolean => "bool",
        SpecialType.System_Char => "char",
        SpecialType.System_SByte => "sbyte",
        SpecialType.System_Byte => "byte",
        SpecialType.System_Int16 => "short",
        SpecialType.System_UInt16 => "ushort",
        SpecialType.System_Int32 => "int",
        SpecialType.System_UInt32 => "uint",
        SpecialType.System_Int64 => "long",
        SpecialType.System_UInt64 => "ulong",
        SpecialType.System_Single => "float",
        SpecialType.System_Double => "double",
        SpecialType.System_Decimal => "decimal",
        SpecialType.System_String => "string",
        SpecialType.System_Object => "object",
        SpecialType.System_Void => "void",
        _ => null,
    };

    /// <summary>Metadata name with namespace, e.g. <c>System.Collections.Generic.List`1</c>.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        INamedTypeSymbol definition = type.OriginalDefinition;
        string ns = definition.ContainingNamespace is { IsGlobalNamespace: false } n ? NamespacePrefix.GetValue(n, JoinNames) : "";
        string containing = "";
        for (INamedTypeSymbol? outer = definition.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing = outer.MetadataName + "+" + containing;
        }

        return ns + containing + definition.MetadataName;
    }

    /// <summary>
    /// Each namespace's dotted name and a trailing dot (<c>System.Threading.</c>), spelled once per namespace symbol: the
    /// rules ask for metadata names at every parameter, member, base type and attribute, and a symbol display per ask
    /// was a measurable part of the generator's time. Symbols are immutable; the table holds them only while they live.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<INamespaceSymbol, string> NamespacePrefix = new();

    private static string JoinNames(INamespaceSymbol ns)
    {
        string prefix = ns.Name + ".";
        for (INamespaceSymbol? outer = ns.ContainingNamespace; outer is { IsGlobalNamespace: false }; outer = outer.ContainingNamespace)
        {
            prefix = outer.Name + "." + prefix;
        }

        return prefix;
    }

    private static readonly SymbolDisplayFormat FullyQualifiedNoAnnotations = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>The size in bytes of a member carried by <c>UnmanagedCodec</c> (every bit pattern valid, fixed size), or 0.</summary>
    private static int FixedSize(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
                return 1;
            case SpecialType.System_Char:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
                return 2;
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Single:
                return 4;
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Double:
                return 8;
        }

        return type is INamedTypeSymbol n ? MetadataName(n) switch
        {
            "System.Half" => 2,
            "System.TimeSpan" => 8,
            "System.Guid" or "System.Int128" or "System.UInt128" or "System.Numerics.Complex" => 16,
            _ => 0,
        } : 0;
    }

    /// <summary>Element types whose every bit pattern is a valid value: arrays, lists and memory of them travel as one block copy.</summary>
    private static bool IsBulkCopyable(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Single or SpecialType.System_Double => true,
        _ => type is INamedTypeSymbol n && MetadataName(n) is "System.Guid" or "System.TimeSpan" or "System.Half" or "System.Int128" or "System.UInt128" or "System.Numerics.Complex",
    };

    /// <summary>
    /// Types of the framework (System.*, Microsoft.*) and of Parallel.Gen itself: carried only when listed above or
    /// named by [WireCodec] (the runtime's handles), never taken apart member by member.
    /// </summary>
    private static bool IsFrameworkType(INamedTypeSymbol type)
    {
        if (type.ContainingAssembly?.Name == "Parallel.Gen")
        {
            return true;
        }

        INamespaceSymbol? root = type.ContainingNamespace;
        while (root is { IsGlobalNamespace: false } && root.ContainingNamespace is { IsGlobalNamespace: false })
        {
            root = root.ContainingNamespace;
        }

        return root is { IsGlobalNamespace: false, Name: "System" or "Microsoft" } || type.SpecialType != SpecialType.None;
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
