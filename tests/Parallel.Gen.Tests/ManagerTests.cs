using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;

namespace ParallelGen.Tests;

[Collection(SharedPoolDefinition.Name)]
public sealed class ManagerTests(SharedPoolFixture fixture)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_process_appends_a_record_and_another_reads_it()
    {
        using var manager = Manager.Start();
        Assert.NotEqual(Environment.ProcessId, manager.ProcessId);
        Assert.Null(manager.NetworkEndpoint);
        ManagedList<string> records = manager.List<string>();
        records.Add("from the parent");

        WorkerProcess writer = WorkerProcess.Start(P.AddRecord, records, "from p1");
        Assert.True(writer.Join(Generous));
        WorkerProcess<string[]> reader = WorkerProcess.Start(P.ReadRecords, records);

        Assert.Equal(new[] { "from the parent", "from p1" }, await reader.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal(2, records.Count);
        Assert.Equal("from p1", records[1]);
        records[0] = "replaced";
        records.Insert(0, "first");
        records.RemoveAt(2);
        Assert.Equal(new[] { "first", "replaced" }, records.ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => records[5]);
        records.Clear();
        Assert.Empty(records);
    }

    [Fact]
    public async Task Worker_processes_write_their_results_into_a_shared_dictionary()
    {
        using var manager = Manager.Start();
        ManagedDictionary<int, int> returns = manager.Dictionary<int, int>();

        WorkerProcess[] processes = [.. Enumerable.Range(0, 4).Select(i => WorkerProcess.Start(P.StoreSquare, returns, i))];
        foreach (WorkerProcess p in processes)
        {
            await p.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
        }

        Assert.Equal(4, returns.Count);
        Assert.Equal(new[] { 0, 1, 2, 3 }, returns.Keys.Order());
        Assert.Equal(9, returns[3]);
        Assert.True(returns.TryGetValue(2, out int four));
        Assert.Equal(4, four);
        Assert.False(returns.TryGetValue(10, out _));
        Assert.Throws<KeyNotFoundException>(() => returns[10]);
        Assert.True(returns.ContainsKey(1));
        Assert.True(returns.Remove(1));
        Assert.False(returns.Remove(1));
        Assert.Equal(new Dictionary<int, int> { [0] = 0, [2] = 4, [3] = 9 }, returns.ToDictionary());
        Assert.Equal(3, returns.Select(entry => entry.Key).Count());
        returns.Clear();
        Assert.Empty(returns);
    }

    [Fact]
    public void A_manager_queue_reaches_pool_workers()
    {
        using var manager = Manager.Start();
        using ProcessQueue<string> queue = manager.Queue<string>();
        for (int i = 0; i < 10; i++)
        {
            queue.Put("job " + i);
        }

        Assert.Equal(10, fixture.Pool.Apply(P.DrainManagerQueue, queue, 10));
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void Disposing_the_manager_stops_its_process_and_its_proxies_fail_clearly()
    {
        var manager = Manager.Start();
        ManagedList<int> list = manager.List<int>();
        list.Add(1);
        int pid = manager.ProcessId;

        manager.Dispose();

        ProcessAssert.AllExited([pid], TimeSpan.FromSeconds(10));
        var error = Assert.Throws<IOException>(() => list.Add(2));
        Assert.Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => manager.List<int>());
    }

    [Fact]
    public void A_network_manager_needs_an_authentication_key_and_refuses_a_wrong_one()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        Assert.Throws<ArgumentException>(() => Manager.Start(new ManagerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }));
        Assert.Throws<ArgumentException>(() => Manager.Start(new ManagerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), AuthKey = [1, 2, 3] }));

        using var manager = Manager.Start(new ManagerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), AuthKey = key });
        var endpoint = Assert.IsType<IPEndPoint>(manager.NetworkEndpoint);
        Assert.NotEqual(0, endpoint.Port);
        ManagedDictionary<string, int> scores = manager.Dictionary<string, int>();
        scores["local"] = 1;

        using (Manager remote = Manager.Connect(endpoint, key))
        {
            ManagedList<string> fromAfar = remote.List<string>();
            fromAfar.Add("over TCP");
            Assert.Equal(new[] { "over TCP" }, fromAfar.ToList());
        }

        Assert.Throws<AuthenticationException>(() => Manager.Connect(endpoint, RandomNumberGenerator.GetBytes(32)));
        Assert.Equal(1, scores["local"]);
    }
}
