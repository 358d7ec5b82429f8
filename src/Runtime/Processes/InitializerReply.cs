using ParallelGen.Exceptions;
using ParallelGen.Protocol;
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

        _ = ChunkReplyBody.Split(body, "initializer reply", out WireReader failures);
        if (failures.ReadLength(8, "failure list") <= 0)
        {
            return null;
        }

        _ = failures.ReadInt32();
        return RemoteExceptionInfo.Read(ref failures);
    }
}
