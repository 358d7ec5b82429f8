using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

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
    public static ulong Compute(string containingType, string name, IEnumerable<string> parameterTypes, string returnType)
    {
        var signature = new StringBuilder();
        signature.Append(containingType).Append('.').Append(name).Append('(');
        signature.Append(string.Join(",", parameterTypes));
        signature.Append(")->").Append(returnType);
        return Fnv1a64(signature.ToString());
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
                && SyntaxFacts.GetKeywordKind(named.Name) == SyntaxKind.None && SyntaxFacts.GetContextualKeywordKind(named.Name) == SyntaxKind.None)
            {
                return named.Name;
            }
        }

        return type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
    }

    public static ulong Fnv1a64(string text)
    {
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        ulong hash = offset;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= prime;
        }

        return hash;
    }
}
