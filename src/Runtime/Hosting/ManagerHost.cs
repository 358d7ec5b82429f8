using System.Net;
using System.Net.Sockets;
using ParallelGen.Brokering.Managers;
using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;
using ParallelGen.Serialization;
using ParallelGen.Transport;

namespace ParallelGen.Hosting;

/// <summary>
/// The server process of a <see cref="Manager"/> (Python's manager process): this program started
/// again in the manager role. It connects back to its parent and proves the secret, serves a broker
/// on a private socket (and, only if the parent asked, on a TCP endpoint or a Unix socket path behind
/// an authentication key), and exits when the parent says so or its channel closes (the parent died): no orphans.
/// </summary>
internal static class ManagerHost
{
    public static int Run(WorkerEnvironment environment)
    {
        // A manager's parent hands it no rings (its control channel carries a few frames in its life): rings is null.
        if (ParentConnection.Open(environment, "manager", "parent", out byte[] secret, out RingRegion? rings) is not { } opened)
        {
            return WorkerExitCodes.HandshakeFailed;
        }

        rings?.Dispose();

        using FrameChannel control = opened;
        using (var writer = new WireWriter())
        {
            writer.Advance(ProtocolConstants.HeaderLength);
            new Hello(secret, Environment.ProcessId, -1, "manager").Write(writer);
            control.SendPrepared(writer.WrittenBuffer, FrameType.Hello);
        }

        var server = new BrokerServer();
        BrokerListener? local = null;
        BrokerListener? network = null;
        byte[]? key = null;
        try
        {
            (EndPoint? endpoint, key) = ReadConfiguration(control);
            local = BrokerListener.ListenPrivate(server);
            if (endpoint is not null)
            {
                network = BrokerListener.ListenNetwork(server, endpoint, key);
            }

            using var ready = new WireWriter();
            ready.Advance(ProtocolConstants.HeaderLength);
            new ManagerReady(local.Address, network?.NetworkEndPoint is { } bound ? ManagerEndpoints.Format(bound) : null).Write(ready);
            control.SendPrepared(ready.WrittenBuffer, FrameType.ManagerReady);

            // Serve until the parent says Shutdown or goes away.
            while (control.Receive() is { } frame)
            {
                using (frame)
                {
                    if (frame.Type == FrameType.Shutdown)
                    {
                        break;
                    }
                }
            }

            return WorkerExitCodes.Clean;
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or WireFormatException or ArgumentException)
        {
            // Tell the parent why (a TCP endpoint already in use...), if it still listens.
            TrySendFault(control, e.Message);
            return WorkerExitCodes.Clean;
        }
        finally
        {
            network?.Dispose();
            byte[]? privateSecret = local?.Address.Credential;
            local?.Dispose();
            server.DestroyAll();

            // Nothing needs them any more: don't leave the key or the private secret in memory (a core dump, a swapped page).
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(privateSecret);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static (EndPoint? Endpoint, byte[] Key) ReadConfiguration(FrameChannel control)
    {
        using ReceivedFrame frame = control.Receive() ?? throw new EndOfStreamException("The parent closed the channel before configuring the manager.");
        if (frame.Type != FrameType.ManagerConfigure)
        {
            throw new InvalidDataException($"Expected the manager's configuration, got a {frame.Type} frame.");
        }

        ManagerConfigure configuration = ManagerConfigure.Read(frame.Body);

        // The frame's pooled buffer would otherwise keep a copy of the key for the next user of the pool.
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsMemory(frame.BodyMemory).Span);
        return (configuration.Endpoint is null ? null : ManagerEndpoints.Parse(configuration.Endpoint, "endpoint"), configuration.Key);
    }

    private static void TrySendFault(FrameChannel control, string message)
    {
        try
        {
            using var writer = new WireWriter();
            writer.Advance(ProtocolConstants.HeaderLength);
            writer.WriteString(message);
            control.SendPrepared(writer.WrittenBuffer, FrameType.Fault);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
