namespace ParallelGen.Tests.Transport;

/// <summary>Worker methods for <see cref="ManagerTransportTests"/>: local manager clients (handed proxies, so they reach the manager over its private socket).</summary>
public static class MT
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <summary>Writes <paramref name="count"/> entries under its own prefix, reads them back, and returns their sum.</summary>
    [Worker]
    public static int WriteAndReadBack(ManagedDictionary<string, int> results, int count)
    {
        string prefix = "local-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-";
        for (int i = 0; i < count; i++)
        {
            results[prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = i;
        }

        int sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += results[prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }

        return sum;
    }

    /// <summary>Says it is ready, then blocks in a Get on an empty queue until it is killed.</summary>
    [Worker]
    public static int BlockInGet(ProcessQueue<int> empty, ProcessQueue<int> ready)
    {
        ready.Put(Environment.ProcessId);
        return empty.Get(Generous);
    }

    /// <summary>Says it is ready, then sets and gets without pause until it is killed (so the kill lands mid-request).</summary>
    [Worker]
    public static int Hammer(ManagedDictionary<int, int> counters, ProcessQueue<int> ready)
    {
        ready.Put(Environment.ProcessId);
        for (int i = 0; ; i++)
        {
            counters[i % 10] = i;
            if (counters[i % 10] != i)
            {
                throw new InvalidOperationException($"Key {i % 10} read back {counters[i % 10]}, not the {i} just set.");
            }
        }
    }

    /// <summary>Makes one call (so its connection is open), says it is ready, then waits on <paramref name="done"/>: an idle client with a call parked in the manager.</summary>
    [Worker]
    public static bool IdleClient(ManagedDictionary<int, int> counters, ProcessQueue<int> ready, ManagedEvent done)
    {
        counters[0] = 1;
        ready.Put(Environment.ProcessId);
        return done.Wait(Generous);
    }
}
