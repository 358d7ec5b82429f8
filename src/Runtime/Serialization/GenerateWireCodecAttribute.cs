namespace ParallelGen.Serialization;

/// <summary>
/// Asks the generator to implement <see cref="IWireCodec{T}"/> for <see cref="Type"/> on the annotated
/// <c>partial struct</c>, the same codec it generates for [Worker] signatures. Use it to serialize a
/// type directly (tests, benchmarks, your own framing), or, together with
/// <see cref="WireCodecAttribute"/> on the type, to make one public codec that other assemblies use.
/// </summary>
/// <example>
/// <code>
/// [GenerateWireCodec(typeof(Order))]
/// public partial struct OrderCodec;
///
/// using var writer = new WireWriter();
/// OrderCodec.Write(writer, order);
/// var reader = new WireReader(writer.WrittenSpan);
/// Order copy = OrderCodec.Read(ref reader);
/// </code>
/// </example>
/// <param name="type">The type to carry.</param>
[AttributeUsage(AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class GenerateWireCodecAttribute(Type type) : Attribute
{
    /// <summary>The type the generated codec carries.</summary>
    public Type Type { get; } = type;
}
