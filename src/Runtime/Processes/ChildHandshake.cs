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

    /// <summary>The child's channel once it said Hello (a manager: it is handed no rings); <see langword="null"/> when it exits or <paramref name="connectTimeout"/> passes first.</summary>
    public static async Task<FrameChannel?> AcceptAsync(PrivateEndpoint endpoint, Process process, Task exited, TimeSpan connectTimeout) =>
        await AcceptHelloAsync(endpoint, process, exited, connectTimeout, expectRings: false).ConfigureAwait(false) is { } admitted ? admitted.Channel : null;

    /// <summary>
    /// The transport to a worker child that was handed <paramref name="rings"/> at launch, once it said Hello (the transport upgrade
    /// point, parent side: see <see cref="TransportUpgrade"/>); <see langword="null"/> when it exits or
    /// <paramref name="connectTimeout"/> passes first. Takes ownership of <paramref name="rings"/> either way.
    /// </summary>
    public static async Task<IFrameTransport?> AcceptWorkerAsync(PrivateEndpoint endpoint, Process process, Task exited, TimeSpan connectTimeout, RingRegion? rings)
    {
        try
        {
            if (await AcceptHelloAsync(endpoint, process, exited, connectTimeout, expectRings: rings is not null).ConfigureAwait(false) is not { } admitted)
            {
                return null;
            }

            RingRegion? handedOver = rings;
            rings = null;
            return TransportUpgrade.ToWorker(admitted.Channel, handedOver, admitted.OnRings);
        }
        finally
        {
            rings?.Dispose();
        }
    }

    private static async Task<(FrameChannel Channel, bool OnRings)?> AcceptHelloAsync(PrivateEndpoint endpoint, Process process, Task exited, TimeSpan connectTimeout, bool expectRings)
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
                    // A child that claims rings it was not handed breaks the protocol: dropped like a stranger.
                    if (CryptographicOperations.FixedTimeEquals(hello.Secret, endpoint.Secret) && hello.ProcessId == process.Id && Platform.PeerCredentials.IsProcess(socket, process.Id) &&
                        (expectRings || !hello.OnRings))
                    {
                        return (channel, hello.OnRings);
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
