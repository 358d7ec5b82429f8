using System.Net.Sockets;

namespace ParallelGen.Tests;

public sealed class SecurityTests
{
    [Fact]
    public void The_endpoint_directory_is_private_to_the_user()
    {
        using var pool = new ProcessPool(processes: 1);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        UnixFileMode mode = File.GetUnixFileMode(pool.EndpointDirectory);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
    }

    [Fact]
    public void A_stranger_without_the_secret_is_dropped_and_the_pool_carries_on()
    {
        using var pool = new ProcessPool(processes: 1);
        Assert.Equal(3, pool.Apply(W.Add, 1, 2));

        foreach (byte[] garbage in new[] { new byte[] { 1, 2, 3 }, new byte[] { 0xff, 0xff, 0xff, 0x7f, 1 }, BitConverter.GetBytes(40).Concat(new byte[41]).ToArray() })
        {
            using var stranger = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            stranger.Connect(new UnixDomainSocketEndPoint(Path.Combine(pool.EndpointDirectory, "s")));
            stranger.Send(garbage);
            stranger.Shutdown(SocketShutdown.Send);

            // The pool closes the connection (cleanly or with a reset) rather than admitting it.
            byte[] buffer = new byte[16];
            stranger.ReceiveTimeout = 15_000;
            try
            {
                Assert.Equal(0, stranger.Receive(buffer));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
            }
        }

        Assert.Equal(5, pool.Apply(W.Add, 2, 3));
    }
}
