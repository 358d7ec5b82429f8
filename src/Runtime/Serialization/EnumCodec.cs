using System.Runtime.CompilerServices;

namespace ParallelGen.Serialization;

/// <summary>Carries an enum as its underlying integer; a value that is not a named member (or, for <c>[Flags]</c> enums, a combination of them) is rejected by generated enum codecs.</summary>
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
            throw new WireFormatException($"Value {value} at offset {reader.Position - Unsafe.SizeOf<TEnum>()} is not a member of enum {typeof(TEnum).Name}.");
        }

        return value;
    }

    private static class HasFlagsAttribute
    {
        public static readonly bool Value = typeof(TEnum).IsDefined(typeof(FlagsAttribute), inherit: false);
    }
}
