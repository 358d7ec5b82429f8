using System.Net;
using ParallelGen.Brokering;
using ParallelGen.Processes;

namespace ParallelGen;

/// <summary>
/// A server process that holds lists, dictionaries and queues for other processes, which use them
/// through proxies (Python's <c>multiprocessing.Manager()</c>):
/// <code>
/// using var manager = Manager.Start();
/// SharedList&lt;string&gt; records = manager.List&lt;string&gt;();
/// WorkerProcess.Start(Jobs.AddRecord, records, "first").Join();
/// </code>
/// Proxies can be passed to <see cref="WorkerAttribute"/> methods (in a <see cref="WorkerProcess"/> or
/// a pool); every call on them is a round trip to the manager, so they are slower than
/// <see cref="SharedArray{T}"/>/<see cref="SharedValue{T}"/>, but hold any serializable type.
/// </summary>
/// <remarks>
/// The server is this program started again in a manager role (as pool workers are). By default it
/// is reachable only through a private Unix socket in a directory only this user can enter, with a
/// random secret. To share it with other machines, opt in with <see cref="ManagerOptions.Endpoint"/>
/// and <see cref="ManagerOptions.AuthKey"/>, and reach it with <see cref="Connect"/>.
/// </remarks>
public sealed class Manager : IDisposable
{
    private const int MinimumKeyLength = 16;

    private readonly ManagerProcess? _process;
    private readonly BrokerAddress _address;
    private volatile bool _disposed;

    private Manager(ManagerProcess? process, BrokerAddress address, EndPoint? networkEndpoint)
    {
        _process = process;
        _address = address;
        NetworkEndpoint = networkEndpoint;
    }

    /// <summary>The server process's id (0 for a manager reached with <see cref="Connect"/>).</summary>
    public int ProcessId => _process?.ProcessId ?? 0;

    /// <summary>The TCP endpoint the manager listens on when <see cref="ManagerOptions.Endpoint"/> opted in (with the actual port), else <see langword="null"/>.</summary>
    public EndPoint? NetworkEndpoint { get; }

    /// <summary>Starts a manager's server process and waits until it serves (Python's <c>Manager()</c>).</summary>
    /// <exception cref="ArgumentException"><see cref="ManagerOptions.Endpoint"/> is set without an <see cref="ManagerOptions.AuthKey"/> of at least 16 bytes.</exception>
    /// <exception cref="WorkerStartException">The server process could not start, or could not listen where asked.</exception>
    public static Manager Start(ManagerOptions? options = null)
    {
        IPEndPoint? endpoint = options?.Endpoint;
        byte[]? key = options?.AuthKey;
        if (endpoint is not null && (key is null || key.Length < MinimumKeyLength))
        {
            throw new ArgumentException(
                $"A manager that listens on the network ({endpoint}) must require an AuthKey of at least {MinimumKeyLength} bytes (e.g. RandomNumberGenerator.GetBytes(32)): " +
                "without one, anyone who can reach the port could read and change its objects.",
                nameof(options));
        }

        ManagerProcess process = ManagerProcess.Start(endpoint, key);
        return new Manager(process, process.Address, process.NetworkEndpoint);
    }

    /// <summary>
    /// Connects to a manager another process started with <see cref="ManagerOptions.Endpoint"/>, proving
    /// <paramref name="authKey"/> (Python's <c>BaseManager(address, authkey).connect()</c>). Disposing the
    /// result does not stop that manager; only the process that started it can.
    /// </summary>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The manager refused the key.</exception>
    /// <exception cref="IOException">Nothing accepts connections at <paramref name="endpoint"/>.</exception>
    public static Manager Connect(EndPoint endpoint, byte[] authKey)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(authKey);
        string location = endpoint switch
        {
            DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            _ => BrokerListener.FormatEndPoint(endpoint),
        };
        var address = new BrokerAddress(BrokerAddress.TcpScheme + location, [.. authKey], 0);
        _ = BrokerSessions.For(address);
        return new Manager(null, address, endpoint);
    }

    /// <summary>A new empty list held by the manager (Python's <c>manager.list()</c>).</summary>
    public SharedList<T> List<T>() => new(Create(BrokerOp.CreateList));

    /// <summary>A new empty dictionary held by the manager (Python's <c>manager.dict()</c>).</summary>
    public SharedDictionary<TKey, TValue> Dictionary<TKey, TValue>()
        where TKey : notnull => new(Create(BrokerOp.CreateDictionary));

    /// <summary>A new queue held by the manager (Python's <c>manager.Queue()</c>); disposing it removes it from the manager.</summary>
    public ProcessQueue<T> Queue<T>() => new(Create(BrokerOp.CreateQueue), owner: true);

    /// <summary>Stops the server process (Python's <c>shutdown()</c>); its objects are gone and their proxies fail with <see cref="IOException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _process?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => _process is not null ? $"Manager (server process {_process.ProcessId})" : $"Manager at {_address.Location}";

    private BrokerHandle Create(BrokerOp kind)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long id = BrokerSessions.For(_address).Invoke(kind, 0).ReadInt64();
        return new BrokerHandle(_address, id);
    }
}
