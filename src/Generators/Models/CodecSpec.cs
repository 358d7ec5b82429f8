namespace ParallelGen.Generators.Models;

/// <summary>
/// A generated codec struct: its name and its C# text (a <c>file</c>-local struct for namespace
/// ParallelGen.Generated). The text depends only on the carried type's shape, so equal types give equal
/// specs across workers, files and assemblies, and the emitter writes each name once per file.
/// </summary>
internal sealed record CodecSpec(string Name, string Source);
