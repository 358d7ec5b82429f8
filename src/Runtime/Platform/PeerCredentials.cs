using System.Buffers.Binary;
using System.Net.Sockets;

namespace ParallelGen.Platform;

/// <summary>
/// The process at the other end of a Unix socket, as the kernel recorded it when the peer connected (<c>SO_PEERCRED</c>):
/// unlike the pid a Hello carries, a peer can't choose it.
/// </summary>
internal static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The peer's pid, or <see langword="null"/> where the kernel can't tell (not Linux, not a Unix socket).</summary>
    public static int? ProcessId(Socket socket)
    {
        if (!OperatingSystem.IsLinux() || socket.AddressFamily != AddressFamily.Unix)
        {
            return null;
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        try
        {
            return socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials) == credentials.Length
                ? BinaryPrimitives.ReadInt32LittleEndian(credentials)
                : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>Whether the peer is process <paramref name="expected"/>: the kernel says so, or can't say.</summary>
    public static bool IsProcess(Socket socket, int expected) => ProcessId(socket) is not { } actual || actual == expected;
}
