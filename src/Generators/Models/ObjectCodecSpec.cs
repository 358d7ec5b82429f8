namespace ParallelGen.Generators.Models;

/// <summary>A record, class or struct carried as its members, in wire order; built through a constructor and an object initializer.</summary>
/// <param name="IsValueType">A struct: no presence byte.</param>
/// <param name="ChecksExactType">A non-sealed class: the writer refuses a derived instance (its extra members would be lost).</param>
/// <param name="ConstructorArity">How many arguments the chosen constructor takes.</param>
/// <param name="IsRecursive">Its values can contain values of the same type: the codec counts nesting levels.</param>
/// <param name="Members">The carried members, fixed-size numbers first, each group ordinal by name.</param>
internal sealed record ObjectCodecSpec(
    string Name,
    string TypeName,
    string DisplayName,
    bool IsValueType,
    bool ChecksExactType,
    int ConstructorArity,
    bool IsRecursive,
    EquatableArray<CodecMemberSpec> Members)
    : CodecSpec(Name, TypeName, DisplayName);

/// <summary>One carried member of an <see cref="ObjectCodecSpec"/>.</summary>
/// <param name="ConstructorIndex">The constructor parameter it is passed as, or -1.</param>
/// <param name="ViaInitializer">Set in the object initializer (settable and not passed to the constructor, or <c>required</c>).</param>
/// <param name="FixedSize">Bytes of a fixed-size number carried in the fixed block; 0 for the rest.</param>
internal sealed record CodecMemberSpec(string Name, string TypeName, string Codec, int ConstructorIndex, bool ViaInitializer, int FixedSize);
