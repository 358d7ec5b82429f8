using System.Net;
using ParallelGen.Brokering.Client;
using ParallelGen.Brokering.Managers;
using ParallelGen.Brokering.Queues;
using ParallelGen.Processes;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>
/// A server process that holds lists, dictionaries and queues for other processes, which use them
/// through proxies (Python's <c>multiprocessing.Manager()</c>):
/// <code>
/// using var manager = Manager.Start();
/// ManagedList&lt;string&gt; records = manager.List&lt;string&gt;();
/// WorkerProcess.Start(Jobs.AddRecord, records, "first").Join();
/// </code>
/// Proxies can be passed to <see cref="WorkerAttribute"/> methods (in a <see cref="WorkerProcess"/> or
/// a pool); every call on them is a round trip to the manager, so they are slower than
/// <see cref="SharedArray{T}"/>/<see cref="SharedValue{T}"/>, but hold any serializable type.
/// </summary>
/// <remarks>
/// The server is this program started again in a manager role (as pool workers are). By default it
/// is reachable only through a private Unix socket in a directory only this user can enter, with a
/// random secret. To share it with unrelated processes or other machines, opt in with
/// <see cref="ManagerOptions.Endpoint"/> and <see cref="ManagerOptions.AuthKey"/>, reach it with
/// <see cref="Connect(string, byte[])"/>, and share objects by name (<see cref="Queue{T}(string)"/>, ...).
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

    /// <summary>The server process's id (0 for a manager reached with <see cref="Connect(EndPoint, byte[])"/>).</summary>
    public int ProcessId => _process?.ProcessId ?? 0;

    /// <summary>
    /// Where the manager listens for unrelated processes when <see cref="ManagerOptions.Endpoint"/> opted in (a TCP endpoint
    /// with the actual port, or the Unix socket), else <see langword="null"/>; for a manager reached with <c>Connect</c>, the endpoint it was reached at.
    /// </summary>
    public EndPoint? NetworkEndpoint { get; }

    /// <summary>Starts a manager's server process and waits until it serves (Python's <c>Manager()</c>, or <c>BaseManager(address, authkey).start()</c> with options).</summary>
    /// <exception cref="ArgumentException"><see cref="ManagerOptions.Endpoint"/> is set without an <see cref="ManagerOptions.AuthKey"/> of at least 16 bytes, or is neither an <see cref="IPEndPoint"/> nor a Unix socket.</exception>
    /// <exception cref="WorkerStartException">The server process could not start, or could not listen where asked (the port is taken, a live manager has the socket path...).</exception>
    public static Manager Start(ManagerOptions? options = null)
    {
        EndPoint? endpoint = options?.Endpoint;
        byte[]? key = options?.AuthKey;
        if (endpoint is not null and not IPEndPoint and not System.Net.Sockets.UnixDomainSocketEndPoint)
        {
            throw new ArgumentException($"A manager listens on an IPEndPoint or a UnixDomainSocketEndPoint, not a {endpoint.GetType().Name} ({endpoint}): resolve host names first.", nameof(options));
        }

        if (endpoint is not null && (key is null || key.Length < MinimumKeyLength))
        {
            throw new ArgumentException(
                $"A manager that listens for other processes ({ManagerEndpoints.Format(endpoint)}) must require an AuthKey of at least {MinimumKeyLength} bytes (e.g. RandomNumberGenerator.GetBytes(32)): " +
                "without one, anyone who can reach it could read and change its objects.",
                nameof(options));
        }

        ManagerProcess process = ManagerProcess.Start(endpoint, key);
        if (process.NetworkEndpoint is { } bound)
        {
            // Proxies that come back from its network clients name it by this endpoint, without the key.
            ManagerKeys.Remember(bound is System.Net.Sockets.UnixDomainSocketEndPoint unix ? BrokerAddress.KeyedUnixScheme + unix : BrokerAddress.TcpScheme + ManagerEndpoints.Format(bound), key!);
        }

        return new Manager(process, process.Address, process.NetworkEndpoint);
    }

    /// <summary>
    /// Connects to a manager another process started with <see cref="ManagerOptions.Endpoint"/>, proving
    /// <paramref name="authKey"/> (Python's <c>BaseManager(address, authkey).connect()</c>). Disposing the
    /// result does not stop that manager; only the process that started it can. Find the objects it shares
    /// with the named overloads (<see cref="Queue{T}(string)"/>, <see cref="Dictionary{TKey, TValue}(string)"/>, ...).
    /// </summary>
    /// <param name="endpoint">An <see cref="IPEndPoint"/>, a <see cref="DnsEndPoint"/> or a <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/>.</param>
    /// <param name="authKey">The manager's <see cref="ManagerOptions.AuthKey"/>.</param>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The manager refused the key (the message names the endpoint).</exception>
    /// <exception cref="IOException">Nothing accepts connections at <paramref name="endpoint"/>.</exception>
    public static Manager Connect(EndPoint endpoint, byte[] authKey)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(authKey);
        string address = endpoint is System.Net.Sockets.UnixDomainSocketEndPoint unix
            ? BrokerAddress.KeyedUnixScheme + unix
            : BrokerAddress.TcpScheme + ManagerEndpoints.Format(endpoint);
        var brokerAddress = new BrokerAddress(address, [.. authKey], 0);
        _ = BrokerSessions.For(brokerAddress);
        ManagerKeys.Remember(address, authKey);
        return new Manager(null, brokerAddress, endpoint);
    }

    /// <summary>
    /// Connects to a manager at <paramref name="endpoint"/>: <c>host:port</c>, <c>[ipv6]:port</c>, or <c>unix:/path/to/socket</c>
    /// (see <see cref="Connect(EndPoint, byte[])"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is none of those forms.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The manager refused the key (the message names the endpoint).</exception>
    /// <exception cref="IOException">Nothing accepts connections at <paramref name="endpoint"/>.</exception>
    public static Manager Connect(string endpoint, byte[] authKey) => Connect(ManagerEndpoints.Parse(endpoint, nameof(endpoint)), authKey);

    /// <summary>A new empty list held by the manager (Python's <c>manager.list()</c>).</summary>
    public ManagedList<T> List<T>() => new(Create(BrokerOp.CreateList));

    /// <summary>A new empty dictionary held by the manager (Python's <c>manager.dict()</c>).</summary>
    public ManagedDictionary<TKey, TValue> Dictionary<TKey, TValue>()
        where TKey : notnull => new(Create(BrokerOp.CreateDictionary));

    /// <summary>A new queue held by the manager (Python's <c>manager.Queue()</c>); disposing it removes it from the manager.</summary>
    public ProcessQueue<T> Queue<T>() => new(Create(BrokerOp.CreateQueue), owner: true);

    /// <summary>
    /// A new queue held by the manager that holds at most <paramref name="capacity"/> items (Python's <c>manager.Queue(maxsize)</c>):
    /// <see cref="ProcessQueue{T}.Put(T)"/> waits while it is full. Disposing it removes it from the manager.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative.</exception>
    public ProcessQueue<T> Queue<T>(int capacity) =>
        new(Create(BrokerOp.CreateQueue, QueueOperands(PositiveCapacity(capacity), joinable: false)), owner: true);

    /// <summary>
    /// A new joinable queue held by the manager (Python's <c>manager.JoinableQueue()</c>): consumers mark items done with
    /// <see cref="JoinableProcessQueue{T}.TaskDone"/> and <see cref="JoinableProcessQueue{T}.Join()"/> waits for all of them.
    /// Disposing it removes it from the manager.
    /// </summary>
    public JoinableProcessQueue<T> JoinableQueue<T>() => new(Create(BrokerOp.CreateQueue, QueueOperands(0, joinable: true)), owner: true);

    /// <summary>A new bounded joinable queue held by the manager (Python's <c>manager.JoinableQueue(maxsize)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative.</exception>
    public JoinableProcessQueue<T> JoinableQueue<T>(int capacity) =>
        new(Create(BrokerOp.CreateQueue, QueueOperands(PositiveCapacity(capacity), joinable: true)), owner: true);

    /// <summary>A new empty set held by the manager (<see cref="ManagedSet{T}"/>).</summary>
    public ManagedSet<T> Set<T>() => new(Create(BrokerOp.CreateSet));

    /// <summary>A new value held by the manager, starting as <paramref name="initial"/> (Python's <c>manager.Value()</c>).</summary>
    public ManagedValue<T> Value<T>(T initial) => new(Create(BrokerOp.CreateValue, WireCodec<T>.ToBytes(initial)));

    /// <summary>A new array of <paramref name="length"/> items held by the manager, each <see langword="default"/> (Python's <c>manager.Array()</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public ManagedArray<T> Array<T>(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new(Create(BrokerOp.CreateArray, ArrayOperands<T>(length)));
    }

    /// <summary>A new lock held by the manager (Python's <c>manager.Lock()</c>); see <see cref="ManagedLock"/> for what happens when its holder dies.</summary>
    public ManagedLock Lock() => new(Create(BrokerOp.CreateLock));

    /// <summary>A new event held by the manager, not set (Python's <c>manager.Event()</c>).</summary>
    public ManagedEvent Event() => new(Create(BrokerOp.CreateEvent));

    /// <summary>
    /// The list the manager shares under <paramref name="name"/>, created empty by the first process that asks
    /// (Python's <c>BaseManager.register("get_list", ...)</c>): how processes that were handed nothing but the
    /// manager's endpoint and key (see <see cref="Connect(string, byte[])"/>) find the same objects.
    /// </summary>
    /// <exception cref="InvalidOperationException">The name holds another kind of object, or a list of another item type.</exception>
    public ManagedList<T> List<T>(string name) => new(Named(name, $"list of {typeof(T)}", BrokerOp.CreateList));

    /// <summary>The dictionary the manager shares under <paramref name="name"/>, created empty by the first process that asks (see <see cref="List{T}(string)"/>).</summary>
    /// <exception cref="InvalidOperationException">The name holds another kind of object, or other key or value types.</exception>
    public ManagedDictionary<TKey, TValue> Dictionary<TKey, TValue>(string name)
        where TKey : notnull => new(Named(name, $"dictionary of {typeof(TKey)} to {typeof(TValue)}", BrokerOp.CreateDictionary));

    /// <summary>
    /// The queue the manager shares under <paramref name="name"/>, created empty by the first process that asks (see <see cref="List{T}(string)"/>):
    /// Python's remote-manager example, <c>register('get_queue', callable=lambda: queue)</c>. Disposing this proxy does not remove the queue.
    /// </summary>
    /// <exception cref="InvalidOperationException">The name holds another kind of object, or a queue of another item type.</exception>
    public ProcessQueue<T> Queue<T>(string name) => new(Named(name, $"queue of {typeof(T)}", BrokerOp.CreateQueue), owner: false);

    /// <summary>The set the manager shares under <paramref name="name"/>, created empty by the first process that asks (see <see cref="List{T}(string)"/>).</summary>
    /// <exception cref="InvalidOperationException">The name holds another kind of object, or a set of another item type.</exception>
    public ManagedSet<T> Set<T>(string name) => new(Named(name, $"set of {typeof(T)}", BrokerOp.CreateSet));

    /// <summary>The value the manager shares under <paramref name="name"/>; the first process that asks creates it as <paramref name="initial"/>, later ones get it as it is.</summary>
    /// <exception cref="InvalidOperationException">The name holds another kind of object, or a value of another type.</exception>
    public ManagedValue<T> Value<T>(string name, T initial) => new(Named(name, $"value of {typeof(T)}", BrokerOp.CreateValue, WireCodec<T>.ToBytes(initial)));

    /// <summary>The array the manager shares under <paramref name="name"/>; the first process that asks creates it with <paramref name="length"/> default items.</summary>
    /// <exception cref="InvalidOperationException">The name holds another kind of object, or an array of another item type.</exception>
    public ManagedArray<T> Array<T>(string name, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new(Named(name, $"array of {typeof(T)}", BrokerOp.CreateArray, ArrayOperands<T>(length)));
    }

    /// <summary>The lock the manager shares under <paramref name="name"/>, created by the first process that asks.</summary>
    /// <exception cref="InvalidOperationException">The name holds another kind of object.</exception>
    public ManagedLock Lock(string name) => new(Named(name, "lock", BrokerOp.CreateLock));

    /// <summary>The event the manager shares under <paramref name="name"/>, created (not set) by the first process that asks.</summary>
    /// <exception cref="InvalidOperationException">The name holds another kind of object.</exception>
    public ManagedEvent Event(string name) => new(Named(name, "event", BrokerOp.CreateEvent));

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

    private BrokerHandle Create(BrokerOp kind, ReadOnlySpan<byte> operands = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long id = BrokerSessions.For(_address).Invoke(kind, 0, operands).ReadInt64();
        return new BrokerHandle(_address, id);
    }

    private BrokerHandle Named(string name, string description, BrokerOp kind, ReadOnlySpan<byte> operands = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var writer = new WireWriter(64 + name.Length + description.Length + operands.Length);
        writer.WriteString(name);
        writer.WriteString(description);
        writer.WriteByte((byte)kind);
        writer.WriteUnmanagedSpan(operands);
        return Create(BrokerOp.GetOrCreateNamed, writer.WrittenSpan);
    }

    /// <summary>What a queue is created with: its capacity (0 = unbounded) and whether it is joinable (<see cref="QueueRequests"/>).</summary>
    private static byte[] QueueOperands(int capacity, bool joinable)
    {
        byte[] operands = new byte[QueueRequests.CreateOperandsLength];
        QueueRequests.WriteCreateOperands(operands, capacity, joinable);
        return operands;
    }

    private static int PositiveCapacity(int capacity) => capacity > 0
        ? capacity
        : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A bounded queue's capacity must be at least 1; use manager.Queue<T>() for an unbounded one.");

    /// <summary>An array's length, then the bytes every slot starts with.</summary>
    private static byte[] ArrayOperands<T>(int length)
    {
        using var writer = new WireWriter();
        writer.WriteInt32(length);
        WireCodec<T>.Instance.Write(writer, default!);
        return writer.WrittenSpan.ToArray();
    }
}
