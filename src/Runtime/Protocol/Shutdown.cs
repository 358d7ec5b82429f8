namespace ParallelGen.Protocol;

/// <summary>
/// The bodies of the frames that end a conversation. <see cref="FrameType.Shutdown"/> (parent to worker): empty from the
/// pool, or one byte, the exit code a <c>WorkerProcess</c> should leave with. <see cref="FrameType.Goodbye"/> (worker to
/// parent, the last frame before it closes its side): one reserved zero byte. <see cref="FrameType.Reclaim"/> is empty.
/// </summary>
internal static class Shutdown
{
    /// <summary>The body of a Shutdown asking a <c>WorkerProcess</c> to exit with <paramref name="exitCode"/>.</summary>
    public static byte[] WithExitCode(byte exitCode) => [exitCode];

    /// <summary>The exit code a Shutdown <paramref name="body"/> asks for, or <paramref name="otherwise"/> when it names none.</summary>
    public static int ReadExitCode(ReadOnlySpan<byte> body, int otherwise) => body.Length > 0 ? body[0] : otherwise;

    /// <summary>Writes a Goodbye's body at <paramref name="writer"/>'s position.</summary>
    public static void WriteGoodbye(Serialization.WireWriter writer) => writer.WriteByte(0);
}
