using System.Collections.Immutable;

namespace ParallelGen.Generators.Models;

/// <summary>
/// A type whose values travel inside a runtime object (queue item, pipe message, manager list or
/// dictionary entry), and the codec that carries it: registered at start-up, since those generic
/// classes can't receive a codec through a call site.
/// </summary>
/// <param name="Type">The item type.</param>
/// <param name="Codec">Its codec type.</param>
/// <param name="Codecs">Generated codec structs the codec needs (records, classes, enums...), emitted with the assembly's other codecs (<see cref="CodecSources"/>).</param>
internal sealed record CodecUseSpec(string Type, string Codec, EquatableArray<CodecSpec> Codecs)
{
    /// <summary>The uses found at every syntax node, as one array.</summary>
    public static EquatableArray<CodecUseSpec> Flatten(ImmutableArray<EquatableArray<CodecUseSpec>> all)
    {
        ImmutableArray<CodecUseSpec>.Builder uses = ImmutableArray.CreateBuilder<CodecUseSpec>();
        foreach (EquatableArray<CodecUseSpec> some in all)
        {
            uses.AddRange(some.AsImmutableArray());
        }

        return uses.ToImmutable().ToEquatableArray();
    }
}
