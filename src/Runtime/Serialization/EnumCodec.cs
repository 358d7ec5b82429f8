using System.Runtime.CompilerServices;

namespace ParallelGen.Serialization;

/// <summary>
/// Carries an enum as its underlying integer, for hand-written codecs. The generator doesn't use it: it
/// emits a codec per enum that checks the value against the defined members with a <c>switch</c> (or,
/// for <c>[Flags]</c> enums, against the mask of all flags) without reflection. This codec checks the same: a defined
/// member, or for <c>[Flags]</c> only bits that some member defines.
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
        if (Enum.IsDefined(value))
        {
            return value;
        }

        // A [Flags] value is any combination of defined bits, as the generated codecs check; a bit no member has is refused.
        if (Flags.IsFlags && (Bits(value) & ~Flags.Mask) == 0)
        {
            return value;
        }

        throw reader.Error(Flags.IsFlags
            ? $"Value {value} at offset {reader.Position - Unsafe.SizeOf<TEnum>()} has bits no flag of enum {typeof(TEnum).Name} defines"
            : $"Value {value} at offset {reader.Position - Unsafe.SizeOf<TEnum>()} is not a member of enum {typeof(TEnum).Name}");
    }

    /// <summary>The value's bits, zero-extended, whatever the underlying type's size.</summary>
    private static ulong Bits(TEnum value) => Unsafe.SizeOf<TEnum>() switch
    {
        1 => Unsafe.As<TEnum, byte>(ref value),
        2 => Unsafe.As<TEnum, ushort>(ref value),
        4 => Unsafe.As<TEnum, uint>(ref value),
        _ => Unsafe.As<TEnum, ulong>(ref value),
    };

    private static class Flags
    {
        public static readonly bool IsFlags = typeof(TEnum).IsDefined(typeof(FlagsAttribute), inherit: false);

        /// <summary>Every bit some member of the enum sets.</summary>
        public static readonly ulong Mask = ComputeMask();

        private static ulong ComputeMask()
        {
            ulong mask = 0;
            foreach (TEnum member in Enum.GetValues<TEnum>())
            {
                mask |= Bits(member);
            }

            return mask;
        }
    }
}
