using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ParallelGen.Generators;

/// <summary>Enums: carried as their underlying integer, read back only as defined values.</summary>
internal static partial class WireTypeRules
{
    private static string? ResolveEnum(INamedTypeSymbol type, string path, WireCodecPlans plans, out string? problem)
    {
        if (Inaccessible(type, path, out problem))
        {
            return null;
        }

        string typeName = TypeName(type);
        string codecName = CodecName(type, "WireEnum", typeName);
        if (plans.Find(codecName) is null)
        {
            INamedTypeSymbol? underlying = type.EnumUnderlyingType;
            string underlyingName = underlying is null ? "int" : TypeName(underlying);
            bool isUnsigned = underlying?.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64;
            var values = new SortedSet<ulong>();
            ulong mask = 0;
            foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.HasConstantValue && field.ConstantValue is { } constant)
                {
                    ulong bits = ToBits(constant);
                    values.Add(bits);
                    mask |= bits;
                }
            }

            bool isFlags = type.GetAttributes().Any(a => a.AttributeClass is { } c && MetadataName(c) == "System.FlagsAttribute");

            // Signed values sort by their two's complement bits here; the order only has to be deterministic.
            plans.Add(new EnumCodecPlan(
                codecName,
                typeName,
                FullDisplay(type, typeName),
                underlyingName,
                values.Select(v => EnumLiteral(v, underlying?.SpecialType ?? SpecialType.System_Int32, isUnsigned)).ToList(),
                isFlags,
                EnumLiteral(mask, underlying?.SpecialType ?? SpecialType.System_Int32, isUnsigned)));
        }

        plans.NoteReference(codecName);
        return Generated + codecName;
    }

    private static ulong ToBits(object constant) => constant switch
    {
        sbyte v => unchecked((ulong)v),
        byte v => v,
        short v => unchecked((ulong)v),
        ushort v => v,
        int v => unchecked((ulong)v),
        uint v => v,
        long v => unchecked((ulong)v),
        ulong v => v,
        _ => 0,
    };

    private static string EnumLiteral(ulong bits, SpecialType underlying, bool isUnsigned)
    {
        if (isUnsigned)
        {
            string text = bits.ToString(CultureInfo.InvariantCulture);
            return underlying switch
            {
                SpecialType.System_UInt64 => text + "UL",
                SpecialType.System_UInt32 => text + "U",
                _ => text,
            };
        }

        string signed = unchecked((long)bits).ToString(CultureInfo.InvariantCulture);
        return underlying == SpecialType.System_Int64 ? signed + "L" : signed;
    }
}
