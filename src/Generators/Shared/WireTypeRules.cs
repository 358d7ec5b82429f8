using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generators;

/// <summary>
/// The one rule that decides which types can cross a process boundary and which codec carries
/// each. The generator uses it to emit codecs; the PG0004 analyzer uses the same file to report
/// what fails, with the member path, so the two can never disagree.
/// </summary>
/// <remarks>
/// <para>
/// This file is self-contained (it needs only a type symbol, never a <see cref="Compilation"/>) because the
/// analyzers project links its files (Shared/*.cs). Everything the rule decides is here: which framework types
/// have runtime codecs, and for the user's records, classes, structs, polymorphic bases and enums, the
/// <see cref="WireCodecPlan"/> the generator turns into a codec struct.
/// </para>
/// <para>
/// A plan depends only on the type's public shape (members sorted by name), never on whether the type comes
/// from source or from metadata, so every assembly that emits a codec for the same type emits the same one.
/// </para>
/// </remarks>
internal static partial class WireTypeRules
{
    /// <summary>How many types a polymorphic base may list: the discriminator is one byte, 0 meaning <see langword="null"/>.</summary>
    public const int MaxKnownTypes = 255;

    private const string Codecs = "global::ParallelGen.Serialization.";
    private const string Generated = "global::ParallelGen.Generated.";

    /// <summary>Returns the codec type for <paramref name="type"/>, or <see langword="null"/> with <paramref name="problem"/> saying what fails and where.</summary>
    /// <param name="type">The type of a [Worker] parameter or result.</param>
    /// <param name="path">
    /// How <paramref name="problem"/> names the value at the root (a parameter's name, or its type's name as in
    /// <c>Order.Lines[].Handle: Stream (...)</c>). Members append <c>.Name</c>, elements <c>[]</c>, dictionary keys
    /// <c>.Keys[]</c>, and a type listed with [WorkerKnownType] <c>(as Circle)</c>.
    /// </param>
    /// <param name="problem">On failure: <c>path: Type (why)</c> for the first member that can't be carried.</param>
    public static string? GetCodec(ITypeSymbol type, string path, out string? problem) => GetCodec(type, path, null, out problem);

    /// <summary>
    /// As <see cref="GetCodec(ITypeSymbol, string, out string?)"/>; also records in <paramref name="plans"/> the codec
    /// structs the generator must emit (records, classes, structs, polymorphic bases, enums) for the returned codec to compile.
    /// </summary>
    public static string? GetCodec(ITypeSymbol type, string path, WireCodecPlans? plans, out string? problem) =>
        Resolve(type, path, plans ?? new WireCodecPlans(), useDeclaredCodec: true, out problem);

    /// <summary>
    /// The codec the generator emits for <paramref name="type"/> itself, ignoring a <c>[WireCodec]</c> on it: what a
    /// <c>[GenerateWireCodec(typeof(T))]</c> struct delegates to (that struct may itself be the type's declared codec).
    /// </summary>
    public static string? GetGeneratedCodec(ITypeSymbol type, string path, WireCodecPlans plans, out string? problem) =>
        Resolve(type, path, plans, useDeclaredCodec: false, out problem);

    private static string? Resolve(ITypeSymbol type, string path, WireCodecPlans plans, bool useDeclaredCodec, out string? problem)
    {
        problem = null;
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
                return Codecs + "UnmanagedCodec<" + TypeName(type) + ">";
            case SpecialType.System_Decimal:
                return Codecs + "DecimalCodec";
            case SpecialType.System_String:
                return Codecs + "StringCodec";
            case SpecialType.System_DateTime:
                return Codecs + "DateTimeCodec";
        }

        if (type is IArrayTypeSymbol array)
        {
            return ResolveArray(array, path, plans, out problem);
        }

        if (type is not INamedTypeSymbol named || type.TypeKind is TypeKind.Delegate or TypeKind.Error)
        {
            problem = Problem(path, type);
            return null;
        }

        if (useDeclaredCodec && GetDeclaredCodec(named) is { } declared)
        {
            return declared;
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            return ResolveEnum(named, path, plans, out problem);
        }

        // A user's type goes straight to its rules: the framework's table is never consulted (nor compiled) for it.
        return IsFrameworkType(named)
            ? ResolveFramework(named, path, plans, out problem)
            : ResolveUserType(named, path, plans, out problem);
    }

    private static string? ResolveArray(IArrayTypeSymbol array, string path, WireCodecPlans plans, out string? problem)
    {
        problem = null;
        ITypeSymbol element = array.ElementType;
        string elementName = TypeName(element);
        if (array.Rank == 1)
        {
            if (IsBulkCopyable(element))
            {
                return Codecs + "UnmanagedArrayCodec<" + elementName + ">";
            }

            string? elementCodec = Resolve(element, path + "[]", plans, true, out problem);
            return elementCodec is null ? null : Codecs + "ArrayCodec<" + elementName + ", " + elementCodec + ">";
        }

        if (array.Rank > 4)
        {
            problem = $"{path}: {Display(array)} (arrays of more than 4 dimensions are not supported; use a flat array and compute the index)";
            return null;
        }

        string rank = array.Rank.ToString(CultureInfo.InvariantCulture);
        if (IsBulkCopyable(element))
        {
            return Codecs + "UnmanagedArray" + rank + "DCodec<" + elementName + ">";
        }

        string? codec = Resolve(element, path + "[" + new string(',', array.Rank - 1) + "]", plans, true, out problem);
        return codec is null ? null : Codecs + "Array" + rank + "DCodec<" + elementName + ", " + codec + ">";
    }
}
