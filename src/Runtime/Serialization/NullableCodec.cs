namespace ParallelGen.Serialization;

/// <summary>Carries a nullable value type: one presence byte, then the value.</summary>
public readonly struct NullableCodec<T, TCodec> : IWireCodec<T?>
    where T : struct
    where TCodec : IWireCodec<T>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, T? value)
    {
        if (value is { } v)
        {
            writer.WriteByte(1);
            TCodec.Write(writer, v);
        }
        else
        {
            writer.WriteByte(0);
        }
    }

    /// <inheritdoc/>
    public static T? Read(ref WireReader reader) => BooleanCodec.Read(ref reader) ? TCodec.Read(ref reader) : null;
}
