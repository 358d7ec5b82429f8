using System.Net;
using System.Net.Sockets;
using ParallelGen.Brokering;
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
        if (ParentConnection.Open(environment, "manager", "parent", out byte[] secret) is not { } opened)
        {
            return WorkerExitCodes.HandshakeFailed;
        }

        using IFrameTransport control = opened;
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
            local.Address.Write(ready);
            ready.WriteString(network?.NetworkEndPoint is { } bound ? ManagerEndpoints.Format(bound) : null);
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

    private static (EndPoint? Endpoint, byte[] Key) ReadConfiguration(IFrameTransport control)
    {
        using ReceivedFrame frame = control.Receive() ?? throw new EndOfStreamException("The parent closed the channel before configuring the manager.");
        if (frame.Type != FrameType.ManagerConfigure)
        {
            throw new InvalidDataException($"Expected the manager's configuration, got a {frame.Type} frame.");
        }

        var reader = new WireReader(frame.Body);
        string? endpoint = reader.ReadString();
        int keyLength = reader.ReadLength(1, "authentication key");
        byte[] key = keyLength > 0 ? reader.ReadBytes(keyLength, "authentication key").ToArray() : [];
        reader.EnsureConsumed("the manager's configuration");

        // The frame's pooled buffer would otherwise keep a copy of the key for the next user of the pool.
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsMemory(frame.BodyMemory).Span);
        return (endpoint is null ? null : ManagerEndpoints.Parse(endpoint, nameof(endpoint)), key);
    }

    private static void TrySendFault(IFrameTransport control, string message)
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
