namespace ParallelGen.Generators.Models;

/// <summary>A polymorphic base: a one-byte discriminator (0 for <see langword="null"/>), then the value by its own codec.</summary>
/// <param name="Cases">The types that may travel, sorted by name; their discriminators are 1, 2, ...</param>
internal sealed record UnionCodecSpec(string Name, string TypeName, string DisplayName, EquatableArray<UnionCaseSpec> Cases)
    : CodecSpec(Name, TypeName, DisplayName);

/// <summary>One type a polymorphic base may carry.</summary>
/// <param name="Depth">How many base classes it has: the writer tests the most derived types first.</param>
internal sealed record UnionCaseSpec(int Tag, string TypeName, string DisplayName, string Codec, int Depth);
