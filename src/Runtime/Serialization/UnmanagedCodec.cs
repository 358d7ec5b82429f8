namespace ParallelGen.Serialization;

/// <summary>
/// Carries a primitive whose every bit pattern is a valid value (integers, floating point,
/// <see cref="char"/>, <see cref="Guid"/>, <see cref="TimeSpan"/>, <see cref="Half"/>) as its raw bytes.
/// </summary>
public readonly struct UnmanagedCodec<T> : IWireCodec<T>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, T value) => writer.WriteUnmanaged(value);

    /// <inheritdoc/>
    public static T Read(ref WireReader reader) => reader.ReadUnmanaged<T>();

    /// <inheritdoc/>
    public static int MinWireSize => System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
}
