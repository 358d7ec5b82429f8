using System.Globalization;

namespace ParallelGen.Tests;

/// <summary>Worker methods the full-manager tests run in real processes: each uses manager proxies it was handed, or connects by endpoint and key.</summary>
public static class M
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <summary>Uses the IList members from a worker and describes what it saw.</summary>
    [Worker]
    public static string EditList(ManagedList<string> list)
    {
        list.Insert(0, "head");
        bool hadB = list.Contains("b");
        bool removed = list.Remove("b");
        int indexOfC = list.IndexOf("c");
        string[] copy = new string[list.Count + 1];
        list.CopyTo(copy, 1);
        return string.Join(',', hadB, removed, indexOfC, string.Join('|', copy.Skip(1)));
    }

    /// <summary>Races the other processes to add the same key: exactly one TryAdd wins.</summary>
    [Worker]
    public static bool ClaimKey(ManagedDictionary<string, int> claims, string key) => claims.TryAdd(key, Environment.ProcessId);

    /// <summary>Adds <paramref name="count"/> items from <paramref name="start"/>; returns how many were new.</summary>
    [Worker]
    public static int AddRange(ManagedSet<int> set, int start, int count) => Enumerable.Range(start, count).Count(set.Add);

    [Worker]
    public static void WriteValueAndSlot(ManagedValue<string> value, ManagedArray<(int, string)> array, int slot)
    {
        value.Value = "written by " + slot.ToString(CultureInfo.InvariantCulture);
        array[slot] = (slot * slot, "slot " + slot.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Read-modify-write of a managed value under the manager's lock, <paramref name="times"/> times.</summary>
    [Worker]
    public static void IncrementUnderLock(ManagedLock gate, ManagedValue<int> counter, int times)
    {
        for (int i = 0; i < times; i++)
        {
            using (gate.Lock())
            {
                counter.Value = counter.Value + 1;
            }
        }
    }

    /// <summary>Takes the lock, says so, and never lets go: the test kills this process while it holds the lock.</summary>
    [Worker]
    public static void HoldLockForever(ManagedLock gate, ManagedEvent holding, ManagedEvent never)
    {
        gate.Acquire();
        holding.Set();
        never.Wait();
    }

    /// <summary>Says it is ready, then waits for the event.</summary>
    [Worker]
    public static bool WaitForEvent(ManagedEvent go, ProcessQueue<int> ready)
    {
        ready.Put(Environment.ProcessId);
        return go.Wait(Generous);
    }

    /// <summary>
    /// An unrelated client: it gets only the endpoint text and the key (as a process started by hand would), finds the
    /// queue and dictionary the manager shares by name, and reports the sum of the jobs it took.
    /// </summary>
    [Worker]
    public static int ServeJobsFromRemoteManager(string endpoint, byte[] key, int jobs)
    {
        using Manager manager = Manager.Connect(endpoint, key);
        ProcessQueue<int> queue = manager.Queue<int>("jobs");
        ManagedDictionary<string, int> results = manager.Dictionary<string, int>("results");
        int sum = 0;
        for (int i = 0; i < jobs; i++)
        {
            sum += queue.Get(Generous);
        }

        results["sum"] = sum;
        return sum;
    }

    /// <summary>Connects with <paramref name="key"/> and reports the exception type and message, or "connected".</summary>
    [Worker]
    public static string TryConnect(string endpoint, byte[] key)
    {
        try
        {
            using Manager manager = Manager.Connect(endpoint, key);
            return "connected";
        }
        catch (Exception e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }
}
