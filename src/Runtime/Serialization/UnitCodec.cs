namespace ParallelGen.Serialization;

/// <summary>The value of a worker call with no arguments, or of a worker that returns nothing.</summary>
public readonly record struct Unit;

/// <summary>Carries <see cref="Unit"/>: zero bytes.</summary>
public readonly struct UnitCodec : IWireCodec<Unit>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, Unit value)
    {
    }

    /// <inheritdoc/>
    public static Unit Read(ref WireReader reader) => default;

    /// <inheritdoc/>
    public static int MinWireSize => 0;
}
