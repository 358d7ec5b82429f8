namespace ParallelGen.Serialization;

/// <summary>
/// Names the codec that carries a type across the process boundary. The generator uses it for any
/// parameter or result of this type (and inside collections, tuples and records). Runtime handle
/// types (shared memory, queues, pipes) use it to travel as handles, not copies; user types may use
/// it for a hand-written codec.
/// </summary>
/// <remarks>
/// <paramref name="codecType"/> is a struct implementing <see cref="IWireCodec{T}"/> for the annotated
/// type. For a generic type, give the open codec type (<c>typeof(SharedArrayCodec&lt;&gt;)</c>): it is
/// closed with the annotated type's type arguments, in order.
/// </remarks>
/// <param name="codecType">The codec struct.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class WireCodecAttribute(Type codecType) : Attribute
{
    /// <summary>The codec struct.</summary>
    public Type CodecType { get; } = codecType;
}
