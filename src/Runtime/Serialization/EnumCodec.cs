using System.Runtime.CompilerServices;

namespace ParallelGen.Serialization;

/// <summary>
/// Carries an enum as its underlying integer, for hand-written codecs. The generator doesn't use it: it
/// emits a codec per enum that checks the value against the defined members with a <c>switch</c> (or,
/// for <c>[Flags]</c> enums, against the mask of all flags) without reflection.
/// </summary>
public readonly struct EnumCodec<TEnum> : IWireCodec<TEnum>
    where TEnum : unmanaged, Enum
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, TEnum value) => writer.WriteUnmanaged(value);

    /// <inheritdoc/>
    public static TEnum Read(ref WireReader reader)
    {
        TEnum value = reader.ReadUnmanaged<TEnum>();
        if (!Enum.IsDefined(value) && !HasFlagsAttribute.Value)
        {
            throw reader.Error($"Value {value} at offset {reader.Position - Unsafe.SizeOf<TEnum>()} is not a member of enum {typeof(TEnum).Name}");
        }

        return value;
    }

    private static class HasFlagsAttribute
    {
        public static readonly bool Value = typeof(TEnum).IsDefined(typeof(FlagsAttribute), inherit: false);
    }
}
