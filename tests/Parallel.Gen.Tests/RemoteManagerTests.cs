using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;

namespace ParallelGen.Tests;

/// <summary>Managers reached by endpoint and key from processes that were handed nothing else (Python's remote managers, issue 12).</summary>
public sealed class RemoteManagerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_separately_started_process_uses_a_TCP_manager_with_the_key_and_is_refused_without_it()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var manager = Manager.Start(new ManagerOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), AuthKey = key });
        string endpoint = BrokerEndpointText(manager);
        ProcessQueue<int> jobs = manager.Queue<int>("jobs");
        for (int i = 1; i <= 10; i++)
        {
            jobs.Put(i);
        }

        WorkerProcess<int> client = WorkerProcess.Start(M.ServeJobsFromRemoteManager, endpoint, key, 10);
        Assert.Equal(55, await client.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal(55, manager.Dictionary<string, int>("results")["sum"]);
        Assert.Equal(0, jobs.Count);

        WorkerProcess<string> intruder = WorkerProcess.Start(M.TryConnect, endpoint, RandomNumberGenerator.GetBytes(32));
        string refused = await intruder.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken);
        Assert.StartsWith(nameof(AuthenticationException), refused, StringComparison.Ordinal);
        Assert.Contains(endpoint, refused, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manager_on_a_Unix_socket_path_needs_the_key_and_removes_its_socket()
    {
        string directory = Directory.CreateTempSubdirectory("pgen-test-").FullName;
        try
        {
            string path = Path.Combine(directory, "manager.sock");
            File.WriteAllBytes(path, []); // a leftover of a killed manager: replaced
            byte[] key = RandomNumberGenerator.GetBytes(32);
            using (var manager = Manager.Start(new ManagerOptions { Endpoint = new UnixDomainSocketEndPoint(path), AuthKey = key }))
            {
                Assert.Equal(path, manager.NetworkEndpoint?.ToString());
                manager.Set<string>("tags").Add("local");

                using (Manager remote = Manager.Connect("unix:" + path, key))
                {
                    Assert.Contains("local", (ISet<string>)remote.Set<string>("tags"));
                    Assert.Equal("ManagedLock", remote.Lock("gate").GetType().Name);
                }

                var refused = Assert.Throws<AuthenticationException>(() => Manager.Connect(path, RandomNumberGenerator.GetBytes(32)));
                Assert.Contains(path, refused.Message, StringComparison.Ordinal);

                var taken = Assert.Throws<WorkerStartException>(() => Manager.Start(new ManagerOptions { Endpoint = new UnixDomainSocketEndPoint(path), AuthKey = key }));
                Assert.Contains("already listens", taken.Message, StringComparison.Ordinal);
            }

            Assert.False(File.Exists(path), "The manager left its socket file behind.");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:port")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("unix:")]
    public void A_malformed_endpoint_is_an_ArgumentException_naming_it(string endpoint)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Manager.Connect(endpoint, new byte[32]));
        Assert.Equal("endpoint", error.ParamName);
    }

    [Fact]
    public void Nothing_listening_at_the_endpoint_is_an_IOException()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string closed = BrokerEndpoint((IPEndPoint)probe.LocalEndPoint!);
        probe.Dispose();

        Assert.Throws<IOException>(() => Manager.Connect(closed, new byte[32]));
    }

    private static string BrokerEndpointText(Manager manager) => BrokerEndpoint(Assert.IsType<IPEndPoint>(manager.NetworkEndpoint));

    private static string BrokerEndpoint(IPEndPoint endpoint) => $"{endpoint.Address}:{endpoint.Port}";
}
