namespace ParallelGen.Generators.Models;

/// <summary>
/// A <c>[GenerateWireCodec(typeof(T))] partial struct</c> of the user's: where it is declared, the type it
/// carries, the codec it delegates to, and the codec structs that codec needs.
/// </summary>
internal sealed record NamedCodecSpec(
    string? Namespace,
    string StructName,
    string HintName,
    string TargetType,
    string Codec,
    EquatableArray<CodecSpec> Codecs);
