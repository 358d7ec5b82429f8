namespace ParallelGen.Serialization;

/// <summary>
/// Writes and reads one type on the wire. Implementations are stateless structs whose static
/// members the JIT and Native AOT compiler inline into the generated code: no virtual call, no
/// reflection, no allocation per value.
/// </summary>
/// <typeparam name="T">The type this codec carries.</typeparam>
public interface IWireCodec<T>
{
    /// <summary>Appends <paramref name="value"/> to <paramref name="writer"/>.</summary>
    static abstract void Write(WireWriter writer, T value);

    /// <summary>Reads a value written by <see cref="Write"/>; throws <see cref="WireFormatException"/> on malformed input.</summary>
    static abstract T Read(ref WireReader reader);

    /// <summary>
    /// The fewest bytes any value takes on the wire. Collection codecs check a count against it before
    /// allocating (a count of elements can't claim more than the payload holds), so it must never be more
    /// than the smallest value really takes.
    /// </summary>
    static virtual int MinWireSize => 1;
}
