using System.Collections.Generic;

namespace ParallelGen.Generators;
/// <summary>One type a polymorphic base may carry.</summary>
internal sealed class UnionCase(int tag, string typeName, string displayName, string codec, int depth)
{
    public int Tag { get; } = tag;

    public string TypeName { get; } = typeName;

    public string DisplayName { get; } = displayName;

    public string Codec { get; } = codec;

    /// <summary>How many base classes it has: the writer tests the most derived types first.</summary>
    public int Depth { get; } = depth;
}
