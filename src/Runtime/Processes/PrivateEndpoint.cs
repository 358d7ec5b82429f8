using System.Net.Sockets;
using System.Security.Cryptography;

namespace ParallelGen.Processes;

/// <summary>
/// The listening side of a pool's channels: a Unix domain socket in a fresh directory only this
/// user can enter (mode 0700), plus the random secret every worker must prove. Nothing listens on
/// the network. Disposing removes the socket and the directory.
/// </summary>
internal sealed class PrivateEndpoint : IDisposable
{
    private readonly Socket _listener;

    private PrivateEndpoint(string directory, string socketPath, Socket listener, byte[] secret)
    {
        Directory = directory;
        SocketPath = socketPath;
        _listener = listener;
        Secret = secret;
    }

    public string Directory { get; }

    public string SocketPath { get; }

    public byte[] Secret { get; }

    public static PrivateEndpoint Create()
    {
        string directory = CreatePrivateDirectory();
        string socketPath = Path.Combine(directory, "s");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            TryDeleteDirectory(directory);
            throw;
        }

        return new PrivateEndpoint(directory, socketPath, listener, RandomNumberGenerator.GetBytes(Protocol.ProtocolConstants.SecretLength));
    }

    public ValueTask<Socket> AcceptAsync(CancellationToken cancellationToken) => _listener.AcceptAsync(cancellationToken);

    public void Dispose()
    {
        _listener.Dispose();
        TryDeleteDirectory(Directory);
    }

    private static string CreatePrivateDirectory()
    {
        // Unix socket paths are limited to ~104 bytes: fall back to /tmp when TMPDIR is deep.
        string root = Path.GetTempPath();
        if (root.Length > 70 && !OperatingSystem.IsWindows())
        {
            root = "/tmp";
        }

        for (int attempt = 0; ; attempt++)
        {
            string path = Path.Combine(root, "pgen-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
            try
            {
                if (OperatingSystem.IsWindows())
                {
                    System.IO.Directory.CreateDirectory(path);
                }
                else
                {
                    if (System.IO.Directory.Exists(path))
                    {
                        continue;
                    }

                    System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }

                return path;
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
