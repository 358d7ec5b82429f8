using ParallelGen.Brokering.Client;
using ParallelGen.Primitives;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>Carries a <see cref="PipeEnd{T}"/> as a handle: where the pipe is hosted, its id and which end. The receiver holds that end.</summary>
public readonly struct PipeEndCodec<T> : IWireCodec<PipeEnd<T>>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, PipeEnd<T> value)
    {
        BrokerHandle.WriteNullable(writer, value?.Handle);
        if (value is not null)
        {
            writer.WriteByte((byte)value.End);
            writer.WriteByte((byte)value.Direction);
            value.Handoff();
        }
    }

    /// <inheritdoc/>
    public static PipeEnd<T> Read(ref WireReader reader)
    {
        if (BrokerHandle.ReadNullable(ref reader) is not { } handle)
        {
            return null!;
        }

        byte end = reader.ReadByte();
        if (end > 1)
        {
            throw new WireFormatException($"A pipe end handle names end {end}; a pipe has ends 0 and 1.");
        }

        byte direction = reader.ReadByte();
        if (direction > (byte)PipeDirection.SendOnly)
        {
            throw new WireFormatException($"A pipe end handle names direction {direction}; only 0 (both), 1 (receive-only) and 2 (send-only) exist.");
        }

        return PipeEnd<T>.Attach(handle, end, (PipeDirection)direction);
    }
}
