using System.ComponentModel;

namespace ParallelGen.Serialization;

/// <summary>The errors generated codecs throw, in one place so their messages stay consistent and the generated code small.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedCodecErrors
{
    /// <summary>
    /// A value whose run-time type the codec of <paramref name="declaredType"/> can't carry: a derived type that
    /// isn't listed with <see cref="WorkerKnownTypeAttribute"/> (its extra members would be lost on the way).
    /// </summary>
    public static InvalidOperationException UnlistedType(object value, string declaredType)
    {
        ArgumentNullException.ThrowIfNull(value);
        string actual = value.GetType().FullName ?? value.GetType().Name;
        return new InvalidOperationException(
            $"A {actual} was sent where {declaredType} is declared, but the codec of {declaredType} carries only the types it knows, " +
            $"and {actual}'s own members would be lost. List it on the declared type with [WorkerKnownType(typeof({value.GetType().Name}))], " +
            "or declare the parameter or member as the type you send.");
    }

    /// <summary>A discriminator byte that names none of the types a polymorphic base lists.</summary>
    public static WireFormatException UnknownDiscriminator(in WireReader reader, byte tag, string declaredType) =>
        reader.Error($"Unknown type discriminator {tag} for {declaredType} at offset {reader.Position - 1}: " +
            "the payload is corrupt, or the sender's build lists types with [WorkerKnownType] that this build doesn't");

    /// <summary>
    /// Throws for an enum value that is not one of the enum's defined members (or, for [Flags], has undefined bits).
    /// Declared to return the enum so generated readers can <c>return</c> it; it never returns.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static TEnum UndefinedEnumValue<TEnum, T>(in WireReader reader, T value, string enumType)
        where T : unmanaged =>
        throw reader.Error($"Value {value} at offset {reader.Position - System.Runtime.CompilerServices.Unsafe.SizeOf<T>()} is not a defined member of enum {enumType}");

    /// <summary>An empty struct is carried as one zero byte (so that every value takes at least one byte); anything else is corrupt.</summary>
    public static WireFormatException CorruptEmptyStruct(in WireReader reader, byte marker, string structType) =>
        reader.Error($"Corrupt {structType}: byte {marker} at offset {reader.Position - 1} where an empty struct's zero byte belongs");
}
