using System.Net.Sockets;
using System.Security.Cryptography;

namespace ParallelGen.Transport;

/// <summary>
/// The listening side of a pool's channels: a Unix domain socket in a fresh directory only this
/// user can enter (mode 0700), plus the random secret every worker must prove. Nothing listens on
/// the network. Disposing removes the socket and the directory; directories of processes that
/// died without disposing (killed hosts) are swept by the next endpoint this user creates.
/// </summary>
internal sealed class PrivateEndpoint : IDisposable
{
    private const string Prefix = "pgen-";

    private static int s_swept;

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

        if (Interlocked.Exchange(ref s_swept, 1) == 0)
        {
            SweepAbandoned(root);
        }

        // The owner's pid is in the name so that a later process can tell an abandoned directory from a live one.
        string owner = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (int attempt = 0; ; attempt++)
        {
            string path = Path.Combine(root, Prefix + owner + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(path);
                return path;
            }

            // mkdir fails when anything has the name already: a directory another user planted is never adopted.
            if (Platform.UnixDirectory.TryCreatePrivate(path))
            {
                return path;
            }

            if (attempt >= 5)
            {
                throw new IOException($"Could not create a private endpoint directory in {root}: {path} and 5 other random names already existed, which suggests someone is planting them.");
            }
        }
    }

    /// <summary>
    /// Removes <c>pgen-&lt;pid&gt;-*</c> directories whose process is gone: a host killed with SIGKILL can't remove its own.
    /// Only real directories this user owns are removed, without following links: any local user can create a
    /// <c>pgen-*</c> name (or a link by that name) in a shared temp directory, and this process must not delete for them.
    /// </summary>
    private static void SweepAbandoned(string root)
    {
        try
        {
            foreach (string directory in System.IO.Directory.EnumerateFileSystemEntries(root, Prefix + "*"))
            {
                string name = Path.GetFileName(directory);
                int dash = name.IndexOf('-', Prefix.Length);
                if (dash > Prefix.Length
                    && int.TryParse(name.AsSpan(Prefix.Length, dash - Prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)
                    && !SharedMemory.ProcessLiveness.IsAlive(pid))
                {
                    Platform.UnixDirectory.TryDeleteOwned(directory);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
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
