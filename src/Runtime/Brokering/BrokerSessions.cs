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
            string key = Key(address);
            if (s_remote.TryGetValue(key, out RemoteBrokerSession? open) && !open.IsBroken)
            {
                return open;
            }

            RemoteBrokerSession connected = RemoteBrokerSession.Connect(address);
            s_remote[key] = connected;
            return connected;
        }
    }

    public static void Forget(RemoteBrokerSession session)
    {
        lock (s_gate)
        {
            string key = Key(session.Address);
            if (s_remote.TryGetValue(key, out RemoteBrokerSession? current) && current == session)
            {
                s_remote.Remove(key);
            }
        }
    }

    /// <summary>A session proves one credential: another key for the same endpoint must connect (and be checked) on its own.</summary>
    private static string Key(BrokerAddress address) => address.Endpoint + "|" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(address.Credential));
}
