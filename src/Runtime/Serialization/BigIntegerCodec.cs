using System.Numerics;

namespace ParallelGen.Serialization;

/// <summary>Carries a <see cref="BigInteger"/> as a byte count and its little-endian two's complement bytes.</summary>
public readonly struct BigIntegerCodec : IWireCodec<BigInteger>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, BigInteger value)
    {
        int count = value.GetByteCount();
        writer.WriteLength(count);
        Span<byte> span = writer.GetSpan(count);
        if (!value.TryWriteBytes(span, out int written) || written != count)
        {
            throw new InvalidOperationException("BigInteger wrote a different number of bytes than it announced.");
        }

        writer.Advance(written);
    }

    /// <inheritdoc/>
    public static BigInteger Read(ref WireReader reader)
    {
        int count = reader.ReadLength(1, "BigInteger");
        if (count < 0)
        {
            throw reader.Error($"Corrupt BigInteger: length -1 at offset {reader.Position - 4} (a BigInteger is never null)");
        }

        return new BigInteger(reader.ReadBytes(count, "BigInteger"));
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}
