using System.Diagnostics;
using System.Net;
using ParallelGen.Brokering.Managers;
using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;
using ParallelGen.Serialization;
using ParallelGen.Transport;

namespace ParallelGen.Processes;

/// <summary>
/// The parent's side of a manager's server process: starts it (this program, in the manager role),
/// admits it (secret and pid), tells it what to serve, learns where it listens, and stops it.
/// </summary>
internal sealed class ManagerProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly PrivateEndpoint _control;
    private readonly Process _process;
    private readonly FrameChannel _channel;
    private int _stopped;

    private ManagerProcess(PrivateEndpoint control, Process process, FrameChannel channel, BrokerAddress address, EndPoint? networkEndpoint)
    {
        _control = control;
        _process = process;
        _channel = channel;
        Address = address;
        NetworkEndpoint = networkEndpoint;
    }

    public int ProcessId => _process.Id;

    public BrokerAddress Address { get; }

    public EndPoint? NetworkEndpoint { get; }

    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    public static ManagerProcess Start(EndPoint? networkEndpoint, byte[]? authenticationKey)
    {
        var control = PrivateEndpoint.Create();
        Process process;
        try
        {
            process = new WorkerLauncher(null, control.SocketPath, control.Secret, taskTimeout: null, WorkerEnvironment.ManagerRole).Start(workerIndex: -1);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            control.Dispose();
            throw new WorkerStartException($"Could not start the manager's server process: {e.Message}", e);
        }

        try
        {
            return ConnectAsync(control, process, networkEndpoint, authenticationKey).GetAwaiter().GetResult();
        }
        catch
        {
            Kill(process);
            if (process.WaitForExit(StopTimeout))
            {
                WorkerRuntimeFiles.RemoveFor(process.Id);
            }

            process.Dispose();
            control.Dispose();
            throw;
        }
    }

    /// <summary>Asks the server to stop, waits for it (killing it if it lingers) and removes every trace.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            BrokerAuthentication.Send(_channel, FrameType.Shutdown, default);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }

        if (!_process.WaitForExit(StopTimeout))
        {
            Kill(_process);
            _process.WaitForExit();
        }

        // A server that was killed could not remove the runtime's debugger and diagnostics files; it has exited, and this
        // process started it, so they go here (as a pool does for its workers).
        WorkerRuntimeFiles.RemoveFor(_process.Id);
        _channel.Dispose();
        _process.Dispose();
        _control.Dispose();

        // Normally the server removed its socket directory; if it was killed, do it here.
        string? directory = Path.GetDirectoryName(Address.Location);
        if (directory is not null && Path.GetFileName(directory).StartsWith("pgen-", StringComparison.Ordinal))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static async Task<ManagerProcess> ConnectAsync(PrivateEndpoint control, Process process, EndPoint? networkEndpoint, byte[]? key)
    {
        Task exited = process.WaitForExitAsync();
        FrameChannel channel = await ChildHandshake.AcceptAsync(control, process, exited, StartTimeout).ConfigureAwait(false)
            ?? throw new WorkerStartException(exited.IsCompleted
                ? $"The manager's server process {process.Id} exited with code {process.ExitCode} before connecting (see its output above)."
                : $"The manager's server process {process.Id} did not connect within {StartTimeout.TotalSeconds:N0} s.");
        try
        {
            using (var configuration = new WireWriter())
            {
                new ManagerConfigure(networkEndpoint is null ? null : ManagerEndpoints.Format(networkEndpoint), networkEndpoint is null ? [] : key!).Write(configuration);
                await channel.SendAsync(FrameType.ManagerConfigure, default, configuration.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
            }

            using var timeout = new CancellationTokenSource(StartTimeout);
            using ReceivedFrame ready = await channel.ReceiveAsync(timeout.Token).ConfigureAwait(false)
                ?? throw new WorkerStartException($"The manager's server process {process.Id} closed its channel while starting (see its output above).");
            if (ready.Type == FrameType.Fault)
            {
                throw new WorkerStartException($"The manager's server process could not start serving: {new WireReader(ready.Body).ReadString()}");
            }

            if (ready.Type != FrameType.ManagerReady)
            {
                throw new InvalidDataException($"Expected the manager to report ready, got a {ready.Type} frame.");
            }

            ManagerReady report = ManagerReady.Read(ready.Body);
            BrokerAddress address = report.Address;
            return new ManagerProcess(control, process, channel, new BrokerAddress(address.Endpoint, address.Credential, process.Id), report.NetworkEndpoint is null ? null : ParseEndPoint(report.NetworkEndpoint));
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    private static EndPoint ParseEndPoint(string text) => ManagerEndpoints.Parse(text, nameof(text));

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }
}
