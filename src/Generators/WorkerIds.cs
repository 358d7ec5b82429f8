using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generators;

/// <summary>
/// Stable worker ids: FNV-1a 64 over the method's full signature (containing type, name, parameter
/// and return types). The same method gets the same id in every build and every assembly that
/// references it; a changed signature gets a new id, which the worker binary then reports as unknown.
/// </summary>
internal static class WorkerIds
{
    public static ulong Compute(IMethodSymbol method) =>
        Compute(WireTypeRules.TypeName(method.ContainingType), method.Name, method.Parameters.Select(p => WireTypeRules.TypeName(p.Type)), WireTypeRules.TypeName(method.ReturnType));

    /// <summary>The same id from the signature's names already spelled with <see cref="WireTypeRules.TypeName"/> (the parser has them).</summary>
    /// <remarks>Hashes <c>Type.Name(P1,P2)->R</c> piece by piece, without building the signature's string.</remarks>
    public static ulong Compute(string containingType, string name, IEnumerable<string> parameterTypes, string returnType)
    {
        ulong hash = Append(Append(Append(Append(Offset, containingType), "."), name), "(");
        bool first = true;
        foreach (string parameterType in parameterTypes)
        {
            hash = Append(first ? hash : Append(hash, ","), parameterType);
            first = false;
        }

        return Append(Append(hash, ")->"), returnType);
    }

    public static string DisplayName(IMethodSymbol method) =>
        method.ContainingType.Name + "." + method.Name + "(" + string.Join(", ", method.Parameters.Select(p => ShortName(p.Type))) + ")";

    /// <summary>
    /// The type as <see cref="SymbolDisplayFormat.MinimallyQualifiedFormat"/> shows it. A plain top-level type's name (or a
    /// keyword type's keyword), the common case, is read without a symbol display.
    /// </summary>
    internal static string ShortName(ITypeSymbol type)
    {
        if (type.NullableAnnotation != NullableAnnotation.Annotated)
        {
            if (WireTypeRules.Keyword(type.SpecialType) is { } keyword)
            {
                return keyword;
            }

            if (type is INamedTypeSymbol { Arity: 0, IsTupleType: false, IsNativeIntegerType: false, ContainingType: null, TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Enum or TypeKind.Interface } named
                && WireTypeRules.IsPlainIdentifier(named.Name))
            {
                return named.Name;
            }
        }

        return type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
    }

    public static ulong Fnv1a64(string text) => Append(Offset, text);

    private const ulong Offset = 14695981039346656037UL;

    /// <summary>FNV-1a 64 continued over the UTF-8 bytes of <paramref name="text"/>; ASCII, the usual case, is its own encoding.</summary>
    private static ulong Append(ulong hash, string text)
    {
        const ulong prime = 1099511628211UL;
        foreach (char c in text)
        {
            if (c >= 0x80)
            {
                foreach (byte b in Encoding.UTF8.GetBytes(text))
                {
                    hash ^= b;
                    hash *= prime;
                }

                return hash;
            }
        }

        foreach (char c in text)
        {
            hash ^= c;
            hash *= prime;
        }

        return hash;
    }
}
