using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using ParallelGen.Brokering.Server;
using ParallelGen.Transport;

namespace ParallelGen.Tests.Transport;

/// <summary>
/// Local manager clients on the shared-memory transport (issue 15, item 4), beside remote clients on TCP, and what happens
/// when either side dies. Each test also holds with <c>PARALLELGEN_TRANSPORT=socket</c>, where local clients stay on the socket.
/// </summary>
public sealed class ManagerTransportTests
{
    /// <summary>The kernel's clock ticks per second in /proc/&lt;pid&gt;/stat (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_local_client_on_shared_memory_and_a_TCP_client_use_the_same_manager_at_once()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var manager = Manager.Start(new ManagerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), AuthKey = key });
        string endpoint = BrokerListener.FormatEndPoint(manager.NetworkEndpoint!);
        ProcessQueue<int> jobs = manager.Queue<int>("jobs");
        ManagedDictionary<string, int> results = manager.Dictionary<string, int>("results");
        for (int i = 1; i <= 200; i++)
        {
            jobs.Put(i);
        }

        WorkerProcess<int> remote = WorkerProcess.Start(M.ServeJobsFromRemoteManager, endpoint, key, 200);
        WorkerProcess<int> local = WorkerProcess.Start(MT.WriteAndReadBack, results, 500);
        try
        {
            Assert.Equal(200 * 201 / 2, await remote.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
            Assert.Equal(499 * 500 / 2, await local.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        }
        finally
        {
            remote.Kill();
            local.Kill();
        }

        Assert.Equal(200 * 201 / 2, results["sum"]);
        Assert.Equal(0, jobs.Count);

        // This process is a local client too: on shared memory, the manager maps a ring region for it (unlinked, so
        // "(deleted)"); on sockets, none. The TCP client never gets one.
        int regions = RingRegionsMappedBy(manager.ProcessId);
        if (TransportChoice.UsesSharedMemory(WorkerTransport.Auto))
        {
            Assert.True(regions >= 1, $"The manager maps {regions} ring regions: this process's connection is not on shared memory.");
        }
        else
        {
            Assert.Equal(0, regions);
        }
    }

    [Fact]
    public async Task A_client_killed_mid_request_does_not_hang_the_broker_or_lose_an_item()
    {
        using var manager = Manager.Start();
        ProcessQueue<int> empty = manager.Queue<int>();
        ProcessQueue<int> ready = manager.Queue<int>();
        ManagedDictionary<int, int> counters = manager.Dictionary<int, int>();
        WorkerProcess getter = WorkerProcess.Start(MT.BlockInGet, empty, ready);
        WorkerProcess hammer = WorkerProcess.Start(MT.Hammer, counters, ready);
        try
        {
            ready.Get(Generous);
            ready.Get(Generous);

            // The hammer is in the middle of a request at almost any instant; the getter is parked in the broker.
            Assert.True(SpinWait.SpinUntil(() => counters.Count == 10 && counters[0] > 100, Generous), "The hammer never got going.");
            hammer.Kill();
            getter.Kill();
            Assert.True(hammer.Join(Generous) && getter.Join(Generous), "A killed client did not exit.");
        }
        finally
        {
            hammer.Kill();
            getter.Kill();
        }

        // The broker serves on: the item is not handed to the dead getter, and the dictionary answers.
        Task<int> served = Task.Run(() =>
        {
            empty.Put(42);
            counters[0] = -1;
            return empty.Get(Generous) + counters[0];
        }, TestContext.Current.CancellationToken);
        Assert.Equal(41, await served.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_broker_dying_ends_a_clients_blocked_calls_with_an_IOException_naming_it()
    {
        using var manager = Manager.Start();
        int pid = manager.ProcessId;
        ProcessQueue<int> empty = manager.Queue<int>();
        ProcessQueue<int> alsoEmpty = manager.Queue<int>();

        // One call reads its own answer (no timeout), one is answered by the session's reader (a timeout).
        Task<int> forever = Task.Factory.StartNew(() => empty.Get(), TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Task<int> timed = Task.Factory.StartNew(() => alsoEmpty.Get(Generous), TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(SpinWait.SpinUntil(() => forever.Status == TaskStatus.Running && timed.Status == TaskStatus.Running, Generous));
        Thread.Sleep(200); // both requests reach the broker and park there

        using (Process host = Process.GetProcessById(pid))
        {
            host.Kill();
            Assert.True(host.WaitForExit(Generous), "The manager did not die.");
        }

        foreach (Task<int> blocked in new[] { forever, timed })
        {
            var error = await Assert.ThrowsAsync<IOException>(() => blocked.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
            Assert.Contains($"process {pid}", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_idle_manager_and_its_idle_client_use_well_under_one_percent_of_a_core()
    {
        using var manager = Manager.Start();
        ManagedDictionary<int, int> counters = manager.Dictionary<int, int>();
        ProcessQueue<int> ready = manager.Queue<int>();
        ManagedEvent done = manager.Event();
        WorkerProcess<bool> client = WorkerProcess.Start(MT.IdleClient, counters, ready, done);
        try
        {
            int clientPid = ready.Get(Generous);

            // Busy a moment first, as a real client is: the spin budgets must shrink back once the traffic stops.
            for (int i = 0; i < 20_000; i++)
            {
                counters[1] = i;
            }

            Thread.Sleep(500);
            long managerBefore = CpuTicks(manager.ProcessId);
            long clientBefore = CpuTicks(clientPid);
            await Task.Delay(IdleWindow, TestContext.Current.CancellationToken);
            double managerShare = (CpuTicks(manager.ProcessId) - managerBefore) / (IdleWindow.TotalSeconds * TicksPerSecond);
            double clientShare = (CpuTicks(clientPid) - clientBefore) / (IdleWindow.TotalSeconds * TicksPerSecond);
            TestContext.Current.TestOutputHelper?.WriteLine($"idle over {IdleWindow.TotalSeconds} s: manager {managerShare:P2} of a core, client {clientShare:P2}");
            Assert.True(managerShare < 0.01, $"An idle manager used {managerShare:P2} of a core over {IdleWindow.TotalSeconds} s: something spins while nobody waits.");
            Assert.True(clientShare < 0.01, $"An idle client used {clientShare:P2} of a core over {IdleWindow.TotalSeconds} s: something spins while nobody waits.");

            done.Set();
            Assert.True(await client.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        }
        finally
        {
            client.Kill();
        }
    }

    /// <summary>User plus system CPU time of process <paramref name="pid"/> so far, in clock ticks.</summary>
    private static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");

        // After the command name in parentheses: state is field 3, utime field 14, stime field 15.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Distinct shared-memory ring regions that process <paramref name="pid"/> maps.</summary>
    private static int RingRegionsMappedBy(int pid) =>
        File.ReadLines($"/proc/{pid}/maps")
            .Where(line => line.Contains("/pgen-ring-", StringComparison.Ordinal))
            .Select(line => line[line.IndexOf('/', StringComparison.Ordinal)..])
            .Distinct(StringComparer.Ordinal)
            .Count();
}
