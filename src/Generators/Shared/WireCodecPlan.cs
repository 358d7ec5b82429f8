using System.Collections.Generic;

namespace ParallelGen.Generators;
/// <summary>A codec struct the generator emits into the consuming assembly (a <c>file</c>-local struct in namespace ParallelGen.Generated).</summary>
internal abstract class WireCodecPlan(string codecName, string typeName, string displayName)
{
    /// <summary>The struct's name, e.g. <c>Order_WireCodec_1a2b3c4d</c>.</summary>
    public string CodecName { get; } = codecName;

    /// <summary>The carried type, fully qualified.</summary>
    public string TypeName { get; } = typeName;

    /// <summary>The carried type as error messages name it.</summary>
    public string DisplayName { get; } = displayName;

    /// <summary>The generated codecs this one calls.</summary>
    public HashSet<string> References { get; } = new(System.StringComparer.Ordinal);
}
