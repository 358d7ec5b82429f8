using System.Collections.Generic;

namespace ParallelGen.Generators;
/// <summary>One carried member: how it is read (its codec) and how it is set on the new value.</summary>
internal sealed class WireMemberPlan(string name, string typeName, string codec, int constructorIndex, bool viaInitializer, int fixedSize)
{
    /// <summary>Bytes of a fixed-size number (every bit pattern valid), carried in the record's fixed block; 0 for the rest.</summary>
    public int FixedSize { get; } = fixedSize;

    public string Name { get; } = name;

    public string TypeName { get; } = typeName;

    public string Codec { get; } = codec;

    /// <summary>The constructor parameter it is passed as, or -1.</summary>
    public int ConstructorIndex { get; } = constructorIndex;

    /// <summary>Set in the object initializer (settable and not passed to the constructor, or <c>required</c>).</summary>
    public bool ViaInitializer { get; } = viaInitializer;
}
