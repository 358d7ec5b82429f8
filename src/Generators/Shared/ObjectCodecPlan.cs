using System.Collections.Generic;

namespace ParallelGen.Generators;
/// <summary>A record, class or struct carried as its members (fixed-size numbers first, each group in name order); created through a constructor and an object initializer.</summary>
internal sealed class ObjectCodecPlan(string codecName, string typeName, string displayName, bool isValueType, bool checksExactType, int constructorArity, IReadOnlyList<WireMemberPlan> members)
    : WireCodecPlan(codecName, typeName, displayName)
{
    public bool IsValueType { get; } = isValueType;

    /// <summary>A non-sealed class: the writer refuses a derived instance (its extra members would be lost) unless the base lists it.</summary>
    public bool ChecksExactType { get; } = checksExactType;

    public int ConstructorArity { get; } = constructorArity;

    /// <summary>The carried members, in wire order: fixed-size numbers, then the rest, each ordinal by name.</summary>
    public IReadOnlyList<WireMemberPlan> Members { get; } = members;
}
