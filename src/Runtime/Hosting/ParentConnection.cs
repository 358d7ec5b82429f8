using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Hosting;

/// <summary>
/// How a child (a worker, a manager) reaches the process that started it: the secret arrives on stdin, the
/// environment is scrubbed for the processes the child starts itself, it maps the shared-memory rings named on the next
/// stdin line (if any), then it connects to the parent's private socket. When it can't, the reason goes to standard error and the child exits with
/// <see cref="WorkerExitCodes.HandshakeFailed"/>.
/// </summary>
internal static class ParentConnection
{
    /// <param name="environment">Where the parent listens.</param>
    /// <param name="role">"worker" or "manager": who this is, in messages.</param>
    /// <param name="parent">"pool" or "parent": whom it connects to, in messages.</param>
    /// <param name="secret">The secret to prove in the child's Hello.</param>
    /// <param name="rings">
    /// The shared-memory rings the parent handed over on stdin, mapped before connecting (the Hello must say so);
    /// <see langword="null"/> when it handed none, or they could not be mapped (said on standard error: the socket serves).
    /// </param>
    /// <returns>
    /// The connection to the parent (the socket), over which the child sends its Hello; <see langword="null"/> when the secret
    /// or the connection failed (said on standard error).
    /// </returns>
    public static FrameChannel? Open(WorkerEnvironment environment, string role, string parent, out byte[] secret, out RingRegion? rings)
    {
        rings = null;
        TransportOffer handedOver;
        try
        {
            TextReader stdin = OpenStdin(); // not disposed: on Windows it is Console.In, on Unix it does not own fd 0
            secret = ReadSecret(stdin);
            handedOver = TransportOffer.FromLaunchLine(stdin.ReadLine());
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException)
        {
            WorkerErrors.Write($"Parallel.Gen {role} {Environment.ProcessId}: could not read the {parent}'s secret from stdin: {e.Message}");
            secret = [];
            return null;
        }

        WorkerEnvironment.ScrubForChildren();
        try
        {
            // Before connecting: by the time the parent reads this child's Hello, the rings are mapped and in use.
            rings = TransportUpgrade.MapHandedRings(handedOver);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            WorkerErrors.Write($"Parallel.Gen {role} {Environment.ProcessId}: could not map the shared-memory rings its {parent} handed over, so it talks over the socket instead (slower): {e.Message}");
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(environment.Endpoint));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            rings?.Dispose();
            rings = null;
            WorkerErrors.Write($"Parallel.Gen {role} {Environment.ProcessId}: could not connect to its {parent} at {environment.Endpoint}: {e.Message}");
            return null;
        }

        return new FrameChannel(socket);
    }

    /// <summary>
    /// File descriptor 0 itself on Unix rather than <see cref="Console.In"/>: the two lines are all a child ever reads there,
    /// and System.Console (its encodings, its terminal handling) is an assembly a worker need not load at all.
    /// </summary>
    private static TextReader OpenStdin() =>
        OperatingSystem.IsWindows()
            ? ConsoleIn()
            : new StreamReader(new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 256);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static TextReader ConsoleIn() => Console.In;

    private static byte[] ReadSecret(TextReader stdin)
    {
        string line = stdin.ReadLine() ?? throw new InvalidDataException("stdin closed before the secret arrived");
        byte[] secret = Convert.FromBase64String(line.Trim());
        if (secret.Length != ProtocolConstants.SecretLength)
        {
            throw new InvalidDataException($"the secret has {secret.Length} bytes instead of {ProtocolConstants.SecretLength}");
        }

        return secret;
    }
}
