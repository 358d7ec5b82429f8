using System.Globalization;

namespace ParallelGen.Tests.Security;

/// <summary>Worker methods the security tests run in real processes.</summary>
public static class SecurityWorkers
{
    /// <summary>
    /// Counts a keyed manager's list through a proxy it was handed; connects with <paramref name="key"/> first unless it is
    /// empty. Returns the count, or the exception's type and message.
    /// </summary>
    [Worker]
    public static string CountThroughProxy(SharedList<int> list, string endpoint, byte[] key)
    {
        try
        {
            if (key.Length > 0)
            {
                _ = Manager.Connect(endpoint, key);
            }

            return list.Count.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }
}
