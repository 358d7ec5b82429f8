namespace ParallelGen.Generators.Models;

/// <summary>
/// A generated codec struct (an internal struct in namespace ParallelGen.Generated), as data: its name, the
/// type it carries and how. It depends only on the carried type's shape, so equal types give equal specs across
/// workers, files and assemblies; <see cref="CodecSources"/> keeps each name once per assembly.
/// </summary>
/// <param name="Name">The struct's name, e.g. <c>Order_WireCodec_1a2b3c4d</c>.</param>
/// <param name="TypeName">The carried type, fully qualified.</param>
/// <param name="DisplayName">The carried type as error messages name it.</param>
internal abstract record CodecSpec(string Name, string TypeName, string DisplayName);
