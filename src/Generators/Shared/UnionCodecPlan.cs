using System.Collections.Generic;

namespace ParallelGen.Generators;
/// <summary>A polymorphic base: a one-byte discriminator (0 for <see langword="null"/>), then the value by its own codec.</summary>
internal sealed class UnionCodecPlan(string codecName, string typeName, string displayName, IReadOnlyList<UnionCase> cases)
    : WireCodecPlan(codecName, typeName, displayName)
{
    /// <summary>The types that may travel, sorted by name; their discriminators are 1, 2, ...</summary>
    public IReadOnlyList<UnionCase> Cases { get; } = cases;
}
