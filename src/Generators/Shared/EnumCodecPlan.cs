using System.Collections.Generic;

namespace ParallelGen.Generators;
/// <summary>An enum carried as its underlying integer; the reader accepts only defined values (or, for [Flags], defined bits).</summary>
internal sealed class EnumCodecPlan(string codecName, string typeName, string displayName, string underlyingType, IReadOnlyList<string> values, bool isFlags, string mask)
    : WireCodecPlan(codecName, typeName, displayName)
{
    public string UnderlyingType { get; } = underlyingType;

    /// <summary>The distinct defined values, as literals of the underlying type.</summary>
    public IReadOnlyList<string> Values { get; } = values;

    public bool IsFlags { get; } = isFlags;

    /// <summary>All defined bits, as a literal of the underlying type.</summary>
    public string Mask { get; } = mask;
}
