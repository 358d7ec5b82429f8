using System.Net.Sockets;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.TestHost;

/// <summary>
/// The peer of the shared-memory transport tests: connects to the test's Unix socket, accepts the transport it offers,
/// and echoes every frame back until a Shutdown frame or the end.
/// </summary>
internal static class RingEcho
{
    public static int Run(string endpoint)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(endpoint));
        var channel = new FrameChannel(socket);
        using ReceivedFrame offer = channel.Receive() ?? throw new EndOfStreamException("The test closed the socket before offering a transport.");
        using SharedMemoryTransport transport = SharedMemoryTransport.Accept(channel, offer);
        Console.WriteLine("accepted");
        while (transport.Receive() is { } frame)
        {
            using (frame)
            {
                if (frame.Type == FrameType.Shutdown)
                {
                    return 0;
                }

                transport.Send(frame.Type, frame.Body, default);
            }
        }

        return 0;
    }
}
