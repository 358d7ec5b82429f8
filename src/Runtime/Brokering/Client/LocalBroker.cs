using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Client;

/// <summary>
/// The broker of this process, hosting the queues and pipes it creates. It listens only once a handle
/// to one of them leaves the process (a private Unix socket, a random secret), and stops listening
/// (removing its directory) when the last object it hosts is disposed, or when the process exits.
/// </summary>
internal static class LocalBroker
{
    private static readonly Lock s_gate = new();
    private static BrokerServer? s_server;
    private static LocalBrokerSession? s_session;
    private static BrokerListener? s_listener;
    private static BrokerAddress? s_address;
    private static bool s_exitHookInstalled;

    public static BrokerServer Server
    {
        get
        {
            lock (s_gate)
            {
                return EnsureServer();
            }
        }
    }

    public static BrokerSession Session
    {
        get
        {
            lock (s_gate)
            {
                EnsureServer();
                return s_session!;
            }
        }
    }

    /// <summary>Where other processes reach this broker; starts listening on first use.</summary>
    public static BrokerAddress Address
    {
        get
        {
            lock (s_gate)
            {
                BrokerServer server = EnsureServer();
                if (s_address is null)
                {
                    s_listener = BrokerListener.ListenPrivate(server);
                    s_address = s_listener.Address;
                    if (!s_exitHookInstalled)
                    {
                        s_exitHookInstalled = true;
                        AppDomain.CurrentDomain.ProcessExit += static (_, _) => StopListening();
                    }
                }

                return s_address;
            }
        }
    }

    /// <summary>Whether <paramref name="address"/> is this process's own broker (a handle that came home).</summary>
    public static bool IsLocal(BrokerAddress address)
    {
        lock (s_gate)
        {
            return s_address is not null && s_address.Equals(address);
        }
    }

    /// <summary>For tests: the private directory while listening.</summary>
    internal static string? ListeningDirectory
    {
        get
        {
            lock (s_gate)
            {
                return s_listener?.Directory;
            }
        }
    }

    private static BrokerServer EnsureServer()
    {
        if (s_server is null)
        {
            s_server = new BrokerServer(onEmpty: OnEmpty);
            s_session = new LocalBrokerSession(s_server);
        }

        return s_server;
    }

    private static void OnEmpty()
    {
        lock (s_gate)
        {
            if (s_server is { ObjectCount: 0 })
            {
                StopListeningLocked();
            }
        }
    }

    private static void StopListening()
    {
        lock (s_gate)
        {
            StopListeningLocked();
        }
    }

    private static void StopListeningLocked()
    {
        s_listener?.Dispose();
        s_listener = null;
        s_address = null;
    }
}
