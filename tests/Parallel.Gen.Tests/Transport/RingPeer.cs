using System.Net.Sockets;
using ParallelGen.Protocol;
using ParallelGen.Tests.Reliability;
using ParallelGen.Transport;

namespace ParallelGen.Tests.Transport;

/// <summary>
/// A real second process (tests/Parallel.Gen.TestHost "ring-echo") on the far side of a <see cref="SharedMemoryTransport"/>
/// that this process created and offered over a Unix socket in a private directory. Disposing removes all of it.
/// </summary>
internal sealed class RingPeer : IDisposable
{
    private static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(60);
    private readonly string _directory;

    private RingPeer(string directory, TestHostProcess host, SharedMemoryTransport transport)
    {
        _directory = directory;
        Host = host;
        Transport = transport;
    }

    public TestHostProcess Host { get; }

    public SharedMemoryTransport Transport { get; }

    public static async Task<RingPeer> StartAsync(int capacity)
    {
        string directory = Directory.CreateTempSubdirectory("pgen-ring-test-").FullName;
        string endpoint = Path.Combine(directory, "s");
        TestHostProcess? host = null;
        try
        {
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(endpoint));
            listener.Listen(1);
            host = TestHostProcess.Start("ring-echo", endpoint);
            using var timeout = new CancellationTokenSource(AcceptTimeout);
            Socket socket = await listener.AcceptAsync(timeout.Token);
            var channel = new FrameChannel(socket);
            SharedMemoryTransport transport;
            try
            {
                transport = SharedMemoryTransport.Offer(channel, capacity);
            }
            catch
            {
                channel.Dispose();
                throw;
            }

            return new RingPeer(directory, host, transport);
        }
        catch
        {
            host?.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        Transport.Dispose();
        if (!Host.Process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            Host.Dispose();
            Directory.Delete(_directory, recursive: true);
            throw new TimeoutException($"The ring-echo peer did not exit within 10 s of the transport's close. stderr:\n{Host.StandardError}");
        }

        Host.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
