namespace ParallelGen.Brokering;

/// <summary>The sessions of this process: the local broker, and one shared connection per remote broker (reopened after a break).</summary>
internal static class BrokerSessions
{
    private static readonly Lock s_gate = new();
    private static readonly Dictionary<string, RemoteBrokerSession> s_remote = new(StringComparer.Ordinal);

    /// <summary>The session for objects at <paramref name="address"/>; <see langword="null"/> means hosted by this process.</summary>
    public static BrokerSession For(BrokerAddress? address)
    {
        if (address is null)
        {
            return LocalBroker.Session;
        }

        lock (s_gate)
        {
            if (s_remote.TryGetValue(address.Endpoint, out RemoteBrokerSession? open) && !open.IsBroken)
            {
                return open;
            }

            RemoteBrokerSession connected = RemoteBrokerSession.Connect(address);
            s_remote[address.Endpoint] = connected;
            return connected;
        }
    }

    public static void Forget(RemoteBrokerSession session)
    {
        lock (s_gate)
        {
            if (s_remote.TryGetValue(session.Address.Endpoint, out RemoteBrokerSession? current) && current == session)
            {
                s_remote.Remove(session.Address.Endpoint);
            }
        }
    }
}
