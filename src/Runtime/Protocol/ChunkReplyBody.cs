using ParallelGen.Exceptions;
using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>
/// The body of a Result reply, after its request id (<see cref="RequestId"/>): an int32 offset, from the start of this
/// body, of the failure list; the values of the items that succeeded, in order, with no per-item overhead; then the
/// failure list: its length and (int32 item index, <see cref="RemoteExceptionInfo"/>) pairs in ascending item order. A
/// Fault reply's body is one <see cref="RemoteExceptionInfo"/> (the chunk failed as a whole). The one place that knows
/// this layout: the worker writes it through <see cref="BeginValues"/>/<see cref="EndValues"/>, the pool reads it through
/// <see cref="Split"/>.
/// </summary>
internal static class ChunkReplyBody
{
    private const int OffsetLength = 4;

    /// <summary>Starts the body at <paramref name="writer"/>'s position; returns what <see cref="EndValues"/> needs. Values follow.</summary>
    public static int BeginValues(WireWriter writer) => writer.ReserveInt32();

    /// <summary>Ends the values begun at <paramref name="start"/> and writes the failure list.</summary>
    public static void EndValues(WireWriter writer, int start, List<(int Index, RemoteExceptionInfo Error)> failures)
    {
        writer.PatchInt32(start, writer.Position - start);
        writer.WriteLength(failures.Count);
        foreach ((int index, RemoteExceptionInfo error) in failures)
        {
            writer.WriteInt32(index);
            error.Write(writer);
        }
    }

    /// <summary>
    /// Splits a Result body into its values (returned) and <paramref name="failures"/>, a reader at the failure list's
    /// length. <paramref name="what"/> names the reply in an error ("reply", "initializer reply").
    /// </summary>
    /// <exception cref="WireFormatException">The offset of the failure list lies outside the body.</exception>
    public static ReadOnlySpan<byte> Split(ReadOnlySpan<byte> body, string what, out WireReader failures)
    {
        var reader = new WireReader(body);
        int failuresAt = reader.ReadInt32();
        if (failuresAt < OffsetLength || failuresAt > body.Length)
        {
            throw new WireFormatException($"Corrupt {what}: the failure list offset {failuresAt} lies outside the {body.Length}-byte reply.");
        }

        failures = new WireReader(body[failuresAt..]);
        return body[OffsetLength..failuresAt];
    }
}
