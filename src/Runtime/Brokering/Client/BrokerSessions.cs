using System.Runtime.CompilerServices;
using ParallelGen.Execution;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Client;

/// <summary>The sessions of this process: the local broker, and one shared connection per remote broker (reopened after a break).</summary>
internal static class BrokerSessions
{
    private static readonly Lock s_gate = new();
    private static readonly Dictionary<string, RemoteBrokerSession> s_remote = new(StringComparer.Ordinal);
    private static readonly TimeSpan ExitConfirmTimeout = TimeSpan.FromSeconds(10);
    private static readonly List<RemoteBrokerSession> s_lost = [];
    private static int s_exitHooked;

    /// <summary>The session for objects at <paramref name="address"/>; <see langword="null"/> means hosted by this process.</summary>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BrokerSession For(BrokerAddress? address)
    {
        if (address is null)
        {
            return LocalBroker.Session;
        }

        // The address remembers its session: the hot path (a producer's every Put) takes no lock and hashes no key.
        if (address.LastSession is RemoteBrokerSession { IsBroken: false } last)
        {
            return last;
        }

        lock (s_gate)
        {
            string key = Key(address);
            if (!s_remote.TryGetValue(key, out RemoteBrokerSession? open) || open.IsBroken)
            {
                open = RemoteBrokerSession.Connect(address);
                s_remote[key] = open;
            }

            address.LastSession = open;
            return open;
        }
    }

    /// <summary>A session posted requests: make sure they are confirmed before this process exits normally.</summary>
    public static void Posted()
    {
        if (Volatile.Read(ref s_exitHooked) == 0 && Interlocked.Exchange(ref s_exitHooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => ConfirmAtExit();

            // A worker that posted puts confirms them before it reports its task done (the worker loop runs this).
            BeforeReply.Register(ConfirmPosted);
        }
    }

    /// <summary>
    /// Waits until every broker this process posted requests to has carried them out, and throws the first refusal. A worker
    /// calls it before it reports a task done, so whoever sees the result also sees the task's puts in their queues.
    /// </summary>
    public static void ConfirmPosted()
    {
        if (Volatile.Read(ref s_exitHooked) == 0)
        {
            return;
        }

        foreach (RemoteBrokerSession session in Unconfirmed())
        {
            session.Confirm(0);
        }
    }

    private static RemoteBrokerSession[] Unconfirmed()
    {
        lock (s_gate)
        {
            RemoteBrokerSession[] unconfirmed = [.. s_lost, .. s_remote.Values.Where(session => session.HasUnconfirmed)];
            s_lost.Clear();
            return unconfirmed;
        }
    }

    /// <summary>
    /// At a normal exit, puts that were only posted must still arrive: wait for each broker to confirm them (briefly; a host
    /// that is gone can't), and report a refusal on standard error since nobody is left to catch it.
    /// </summary>
    private static void ConfirmAtExit()
    {
        foreach (RemoteBrokerSession session in Unconfirmed())
        {
            try
            {
                Task confirmed = Task.Run(() => session.Confirm(0));
                if (!confirmed.Wait(ExitConfirmTimeout))
                {
                    Console.Error.WriteLine($"Parallel.Gen: {session.Address.HostDescription} did not confirm this process's last puts within {ExitConfirmTimeout.TotalSeconds} s of its exit.");
                }
            }
            catch (AggregateException e)
            {
                Console.Error.WriteLine($"Parallel.Gen: at exit, {e.InnerException?.Message}");
            }
        }
    }

    public static void Forget(RemoteBrokerSession session)
    {
        lock (s_gate)
        {
            // Its posted requests may not have arrived: the next ConfirmPosted must report that, not find nothing to confirm.
            if (session.HasUnconfirmed)
            {
                s_lost.Add(session);
            }

            string key = Key(session.Address);
            if (s_remote.TryGetValue(key, out RemoteBrokerSession? current) && current == session)
            {
                s_remote.Remove(key);
            }
        }
    }

    /// <summary>A session proves one credential: another key for the same endpoint must connect (and be checked) on its own.</summary>
    private static string Key(BrokerAddress address) => address.SessionKey;
}
