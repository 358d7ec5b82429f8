using ParallelGen.Serialization;

namespace ParallelGen.Processes;

/// <summary>Reads the reply to an initializer (a one-item chunk): did its one item fail, and with what.</summary>
internal static class InitializerReply
{
    /// <summary>The initializer's exception, or <see langword="null"/> when it succeeded. <paramref name="body"/> follows the request id.</summary>
    /// <exception cref="WireFormatException">The reply is malformed.</exception>
    public static RemoteExceptionInfo? ReadFailure(ReadOnlySpan<byte> body, bool isFault)
    {
        var reader = new WireReader(body);
        if (isFault)
        {
            return RemoteExceptionInfo.Read(ref reader);
        }

        // The layout ChunkResultWriter writes: offset of the failure list, the values, then (index, exception) pairs.
        int failuresAt = reader.ReadInt32();
        if (failuresAt < 4 || failuresAt > body.Length)
        {
            throw new WireFormatException($"Corrupt initializer reply: the failure list offset {failuresAt} lies outside the {body.Length}-byte reply.");
        }

        var failures = new WireReader(body[failuresAt..]);
        if (failures.ReadLength(8, "failure list") <= 0)
        {
            return null;
        }

        _ = failures.ReadInt32();
        return RemoteExceptionInfo.Read(ref failures);
    }
}
