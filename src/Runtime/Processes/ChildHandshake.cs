using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Processes;

/// <summary>
/// Admits the one child process a <see cref="WorkerProcess"/> or <see cref="Manager"/> started: it must
/// prove the endpoint's secret and be that process (its pid, as the kernel reports it). Strangers are dropped and waiting
/// goes on, within one deadline for the whole handshake.
/// </summary>
internal static class ChildHandshake
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The child's channel once it said Hello; <see langword="null"/> when it exits or <paramref name="connectTimeout"/> passes first.</summary>
    public static async Task<FrameChannel?> AcceptAsync(PrivateEndpoint endpoint, Process process, Task exited, TimeSpan connectTimeout)
    {
        using var stop = new CancellationTokenSource(connectTimeout);
        _ = exited.ContinueWith(static (_, s) => TryCancel((CancellationTokenSource)s!), stop, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (true)
        {
            Socket socket;
            try
            {
                socket = await endpoint.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return null;
            }

            var channel = new FrameChannel(socket);
            try
            {
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                handshake.CancelAfter(HandshakeTimeout);
                using ReceivedFrame? frame = await channel.ReceiveAsync(handshake.Token, ProtocolConstants.MaxHelloLength).ConfigureAwait(false);
                if (frame is { Type: FrameType.Hello })
                {
                    Hello hello = Hello.Read(frame.Body);
                    // The pid a Hello carries is the peer's word; the kernel's (SO_PEERCRED) is not.
                    if (CryptographicOperations.FixedTimeEquals(hello.Secret, endpoint.Secret) && hello.ProcessId == process.Id && Platform.PeerCredentials.IsProcess(socket, process.Id))
                    {
                        return channel;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or InvalidDataException or Serialization.WireFormatException)
            {
            }

            channel.Dispose();
        }
    }

    private static void TryCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
