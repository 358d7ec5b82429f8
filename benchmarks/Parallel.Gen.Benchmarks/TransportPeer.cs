using System.Diagnostics;
using System.Net.Sockets;
using ParallelGen.Platform;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Benchmarks;

/// <summary>
/// The second process of the transport benchmarks: this executable started again with <c>--transport-peer</c>.
/// <list type="bullet">
/// <item><c>socket|shm &lt;endpoint&gt;</c>: connects, (for shm) accepts the offered rings, then serves frames:
/// <see cref="FrameType.Run"/> is echoed, <see cref="FrameType.Result"/> is swallowed, <see cref="FrameType.Reclaim"/> is
/// answered with an empty <see cref="FrameType.Reclaim"/> (the end of a throughput batch), Shutdown ends.</item>
/// <item><c>futex|spin &lt;region&gt;</c>: the machine's limits: answers each number written to ring 0's Tail word by
/// writing it to ring 1's Tail word, sleeping on a futex (and waking the other side by system call every time) or spinning.</item>
/// </list>
/// </summary>
internal static unsafe class TransportPeer
{
    public const string Argument = "--transport-peer";

    public static int Run(string mode, string where)
    {
        switch (mode)
        {
            case "socket" or "shm":
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                socket.Connect(new UnixDomainSocketEndPoint(where));
                var channel = new FrameChannel(socket);
                IFrameTransport transport = channel;
                if (mode == "shm")
                {
                    using ReceivedFrame offer = channel.Receive() ?? throw new EndOfStreamException("no transport offer");
                    transport = SharedMemoryTransport.Accept(channel, offer);
                }

                using (transport)
                {
                    Serve(transport);
                }

                return 0;
            case "futex" or "spin":
                using (RingRegion region = RingRegion.Open(where, RingRegion.MinCapacity))
                {
                    PingPong(region, mode == "spin");
                }

                return 0;
            default:
                Console.Error.WriteLine($"unknown transport peer mode '{mode}'");
                return 2;
        }
    }

    /// <summary>Starts this executable as a peer.</summary>
    public static Process Start(string mode, string where)
    {
        string path = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var info = new ProcessStartInfo(path) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            info.ArgumentList.Add(typeof(TransportPeer).Assembly.Location);
        }

        info.ArgumentList.Add(Argument);
        info.ArgumentList.Add(mode);
        info.ArgumentList.Add(where);
        return Process.Start(info) ?? throw new InvalidOperationException("the transport peer did not start");
    }

    /// <summary>The words the ping-pong uses (the next two): the number asked (ring 0's Tail) and the number answered (ring 1's Tail).</summary>
    public static int* AskWord(RingRegion region) => (int*)(region.Control(0) + RingRegion.TailAt);

    public static int* AnswerWord(RingRegion region) => (int*)(region.Control(1) + RingRegion.TailAt);

    private static void Serve(IFrameTransport transport)
    {
        while (transport.Receive() is { } frame)
        {
            using (frame)
            {
                switch (frame.Type)
                {
                    case FrameType.Run:
                        transport.Send(FrameType.Run, frame.Body, default);
                        break;
                    case FrameType.Reclaim:
                        transport.Send(FrameType.Reclaim, default, default);
                        break;
                    case FrameType.Shutdown:
                        return;
                }
            }
        }
    }

    private static void PingPong(RingRegion region, bool spin)
    {
        region.Enter();
        int* ask = AskWord(region);
        int* answer = AnswerWord(region);
        int last = 0;
        while (true)
        {
            int value;
            while ((value = Volatile.Read(ref *ask)) == last)
            {
                if (spin)
                {
                    Thread.SpinWait(1);
                }
                else
                {
                    Futex.Wait(ask, last, -1);
                }
            }

            last = value;
            Volatile.Write(ref *answer, value);
            if (!spin)
            {
                Futex.Wake(answer, 1);
            }

            if (value < 0)
            {
                region.Exit();
                return;
            }
        }
    }
}
