using System.Buffers.Binary;
using System.Net.Sockets;

namespace ParallelGen.Tests.Reliability;

/// <summary>
/// A meeting point between a test and its workers, so tests await signals instead of sleeping: a worker that
/// reaches an interesting point connects and sends its pid; the test awaits that arrival, and may release the
/// worker by sending a byte (or by disposing the arrival). Lives in a private temp directory removed on dispose.
/// </summary>
internal sealed class Rendezvous : IDisposable
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(60);
    private readonly Socket _listener;
    private readonly string _directory;

    public Rendezvous()
    {
        // Short path: Unix socket paths are limited to ~104 bytes.
        _directory = Directory.CreateTempSubdirectory("pgt-").FullName;
        if (_directory.Length > 80)
        {
            Directory.Delete(_directory);
            _directory = System.IO.Path.Combine("/tmp", "pgt-" + Guid.NewGuid().ToString("N")[..10]);
            Directory.CreateDirectory(_directory);
        }

        Path = System.IO.Path.Combine(_directory, "r");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(64);
    }

    public string Path { get; }

    /// <summary>Waits for the next worker to arrive.</summary>
    public async Task<Arrival> NextAsync()
    {
        using var timeout = new CancellationTokenSource(ArrivalTimeout);
        Socket socket = await _listener.AcceptAsync(timeout.Token);
        byte[] pid = new byte[4];
        int read = 0;
        while (read < 4)
        {
            int n = await socket.ReceiveAsync(pid.AsMemory(read), SocketFlags.None, timeout.Token);
            Assert.True(n > 0, "A worker connected to the rendezvous but died before sending its pid.");
            read += n;
        }

        return new Arrival(socket, BinaryPrimitives.ReadInt32LittleEndian(pid));
    }

    /// <summary>Whether a worker has arrived that nobody took yet (without waiting).</summary>
    public bool HasWaitingArrival() => _listener.Poll(0, SelectMode.SelectRead);

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public sealed class Arrival(Socket socket, int processId) : IDisposable
    {
        public int ProcessId { get; } = processId;

        /// <summary>Lets a worker waiting in <see cref="RendezvousClient.ArriveAndWait"/> go on.</summary>
        public void Release() => socket.Send([1]);

        public void Dispose() => socket.Dispose();
    }
}

/// <summary>The worker side of <see cref="Rendezvous"/>.</summary>
internal static class RendezvousClient
{
    /// <summary>Tells the test this worker got here; the returned socket stays open until disposed or the process dies.</summary>
    public static Socket Arrive(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        byte[] pid = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(pid, Environment.ProcessId);
        socket.Send(pid);
        return socket;
    }

    /// <summary>Arrives, then blocks until the test releases this worker or drops the connection.</summary>
    public static void ArriveAndWait(string path)
    {
        using Socket socket = Arrive(path);
        _ = socket.Receive(new byte[1]);
    }
}
