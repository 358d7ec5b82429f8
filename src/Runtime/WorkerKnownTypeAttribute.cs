namespace ParallelGen;

/// <summary>
/// Lists a derived type that may travel where this abstract class, interface or non-sealed class is
/// declared in a <see cref="WorkerAttribute"/> signature. The generated codec writes a one-byte
/// discriminator, then the derived type's public members; a discriminator the receiver doesn't know
/// is rejected. A derived type that isn't listed fails when it is sent, never silently loses members.
/// </summary>
/// <example>
/// <code>
/// [WorkerKnownType(typeof(Circle))]
/// [WorkerKnownType(typeof(Square))]
/// public abstract record Shape;
/// public sealed record Circle(double Radius) : Shape;
/// public sealed record Square(double Side) : Shape;
/// </code>
/// </example>
/// <param name="derivedType">A concrete type deriving from (or implementing) the annotated type.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = true, Inherited = false)]
public sealed class WorkerKnownTypeAttribute(Type derivedType) : Attribute
{
    /// <summary>The derived type that may travel as the annotated type.</summary>
    public Type DerivedType { get; } = derivedType;
}
