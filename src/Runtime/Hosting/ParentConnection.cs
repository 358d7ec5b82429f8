using System.Net.Sockets;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Hosting;

/// <summary>
/// How a child (a worker, a manager) reaches the process that started it: the secret arrives on stdin, the
/// environment is scrubbed for the processes the child starts itself, then it connects to the parent's private
/// socket. When it can't, the reason goes to standard error and the child exits with
/// <see cref="WorkerExitCodes.HandshakeFailed"/>.
/// </summary>
internal static class ParentConnection
{
    /// <param name="environment">Where the parent listens.</param>
    /// <param name="role">"worker" or "manager": who this is, in messages.</param>
    /// <param name="parent">"pool" or "parent": whom it connects to, in messages.</param>
    /// <param name="secret">The secret to prove in the child's Hello.</param>
    /// <returns>
    /// The connection to the parent (the socket transport), over which the child sends its Hello; <see langword="null"/>
    /// when the secret or the connection failed (said on standard error).
    /// </returns>
    public static IFrameTransport? Open(WorkerEnvironment environment, string role, string parent, out byte[] secret)
    {
        try
        {
            secret = ReadSecret();
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException)
        {
            Console.Error.WriteLine($"Parallel.Gen {role} {Environment.ProcessId}: could not read the {parent}'s secret from stdin: {e.Message}");
            secret = [];
            return null;
        }

        WorkerEnvironment.ScrubForChildren();
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(environment.Endpoint));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            Console.Error.WriteLine($"Parallel.Gen {role} {Environment.ProcessId}: could not connect to its {parent} at {environment.Endpoint}: {e.Message}");
            return null;
        }

        return new FrameChannel(socket);
    }

    private static byte[] ReadSecret()
    {
        string line = Console.In.ReadLine() ?? throw new InvalidDataException("stdin closed before the secret arrived");
        byte[] secret = Convert.FromBase64String(line.Trim());
        if (secret.Length != ProtocolConstants.SecretLength)
        {
            throw new InvalidDataException($"the secret has {secret.Length} bytes instead of {ProtocolConstants.SecretLength}");
        }

        return secret;
    }
}
