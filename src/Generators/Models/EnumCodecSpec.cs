namespace ParallelGen.Generators.Models;

/// <summary>An enum carried as its underlying integer; the reader accepts only defined values (or, for [Flags], defined bits).</summary>
/// <param name="Values">The distinct defined values, as literals of the underlying type.</param>
/// <param name="Mask">All defined bits, as a literal of the underlying type.</param>
internal sealed record EnumCodecSpec(string Name, string TypeName, string DisplayName, string UnderlyingType, EquatableArray<string> Values, bool IsFlags, string Mask)
    : CodecSpec(Name, TypeName, DisplayName);
