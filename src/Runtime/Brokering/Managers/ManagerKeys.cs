using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Managers;

/// <summary>
/// The authentication keys this process was given for keyed managers (by <c>Manager.Start</c> or <c>Manager.Connect</c>),
/// by endpoint. A proxy of a keyed manager's object carries only the endpoint, never the key (it may travel through a
/// manager over an unencrypted link); the process that reads it finds the key here.
/// </summary>
internal static class ManagerKeys
{
    private static readonly Lock s_gate = new();
    private static readonly Dictionary<string, byte[]> s_keys = new(StringComparer.Ordinal);

    public static void Remember(string endpoint, byte[] key)
    {
        lock (s_gate)
        {
            s_keys[endpoint] = [.. key];
        }
    }

    /// <summary>The key for the manager at <paramref name="address"/>: the one it carries, else the one this process was given.</summary>
    /// <exception cref="System.Security.Authentication.AuthenticationException">This process was never given that manager's key.</exception>
    public static byte[] For(BrokerAddress address)
    {
        if (address.Credential.Length > 0)
        {
            return address.Credential;
        }

        lock (s_gate)
        {
            if (s_keys.TryGetValue(address.Endpoint, out byte[]? key))
            {
                return key;
            }
        }

        throw new System.Security.Authentication.AuthenticationException(
            $"This proxy refers to an object of {address.HostDescription}, and a proxy never carries a manager's authentication key " +
            $"(it may have travelled over an unencrypted link). Call Manager.Connect(\"{address.Location}\", key) in this process first; " +
            "its proxies then reach that manager with the key you gave.");
    }
}
