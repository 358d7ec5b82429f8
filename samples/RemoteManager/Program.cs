// Remote manager (Python docs, "Using a remote manager"): one process serves a queue and a dictionary on an
// endpoint behind an authentication key; a second, unrelated process, given only the endpoint and the key,
// connects, finds them by name and uses them. A wrong key is refused.
//
//   RemoteManager serve 127.0.0.1:50000      serve until Enter (key in REMOTE_MANAGER_AUTHKEY, base64)
//   RemoteManager connect 127.0.0.1:50000    take the jobs, put the results (same key)
//   RemoteManager                            both: serve on a free loopback port and start itself to connect
using System.Diagnostics;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using ParallelGen;

const string KeyVariable = "REMOTE_MANAGER_AUTHKEY";
const int Jobs = 10;

string mode = args.Length > 0 ? args[0] : "demo";
return mode switch
{
    "serve" => Serve(args[1], wait: address =>
    {
        Console.WriteLine($"Run `RemoteManager connect {address}` elsewhere (same {KeyVariable}), then press Enter.");
        Console.ReadLine();
        return null;
    }),
    "connect" => Connect(args[1]),
    _ => Demo(),
};

// The demo: serve on a free port, start this program again as a client that gets only the endpoint and the key.
int Demo()
{
    byte[] key = RandomNumberGenerator.GetBytes(32);
    Environment.SetEnvironmentVariable(KeyVariable, Convert.ToBase64String(key));
    return Serve("127.0.0.1:0", wait: endpoint => RunClient(endpoint) == 0 ? null : "the client failed");
}

// Python: QueueManager.register('get_queue', callable=lambda: queue); m = QueueManager(address=..., authkey=...); m.get_server().serve_forever()
int Serve(string where, Func<string, string?> wait)
{
    var endpoint = IPEndPoint.Parse(where);
    using var manager = Manager.Start(new ManagerOptions { Endpoint = endpoint, AuthKey = ReadKey() });
    var bound = (IPEndPoint)manager.NetworkEndpoint!;
    string address = $"{bound.Address}:{bound.Port}";
    Console.WriteLine($"Serving on {address} (manager process {manager.ProcessId}); clients need the key.");

    ProcessQueue<int> jobs = manager.Queue<int>("jobs");
    ManagedDictionary<int, int> results = manager.Dictionary<int, int>("results");
    for (int i = 1; i <= Jobs; i++)
    {
        jobs.Put(i);
    }

    // Someone without the key gets nowhere, and learns why.
    try
    {
        using Manager intruder = Manager.Connect(address, RandomNumberGenerator.GetBytes(32));
        Console.WriteLine("MISMATCH: a wrong key was accepted");
        return 1;
    }
    catch (AuthenticationException e)
    {
        Console.WriteLine($"A wrong key is refused: {e.Message}");
    }

    if (wait(address) is { } failure)
    {
        Console.WriteLine(failure);
        return 1;
    }

    int sum = results.Values.Sum();
    Console.WriteLine($"The client process took {results.Count} jobs; sum of squares: {sum}");
    bool ok = results.Count == Jobs && sum == 385 && jobs.IsEmpty;
    Console.WriteLine(ok ? "OK" : "MISMATCH");
    return ok ? 0 : 1;
}

// Python: QueueManager.register('get_queue'); m = QueueManager(address=..., authkey=...); m.connect(); queue = m.get_queue()
int Connect(string where)
{
    using Manager manager = Manager.Connect(where, ReadKey());
    ProcessQueue<int> jobs = manager.Queue<int>("jobs");
    ManagedDictionary<int, int> results = manager.Dictionary<int, int>("results");
    while (jobs.TryGet(out int job, TimeSpan.Zero))
    {
        results[job] = job * job;
    }

    Console.WriteLine($"Client process {Environment.ProcessId} squared {results.Count} jobs from the manager at {where}");
    return 0;
}

// The client is an unrelated process: this program started again with only the endpoint (and the key in its environment).
int RunClient(string endpoint)
{
    string self = Environment.ProcessPath!;
    var start = new ProcessStartInfo(self) { UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
    {
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RemoteManager.dll"));
    }

    start.ArgumentList.Add("connect");
    start.ArgumentList.Add(endpoint);
    using Process client = Process.Start(start)!;
    if (!client.WaitForExit(TimeSpan.FromMinutes(1)))
    {
        client.Kill();
        client.WaitForExit();
        return -1;
    }

    return client.ExitCode;
}

static byte[] ReadKey() => Convert.FromBase64String(
    Environment.GetEnvironmentVariable(KeyVariable)
    ?? throw new InvalidOperationException($"Set {KeyVariable} to the manager's key (base64), e.g. `export {KeyVariable}=$(head -c 32 /dev/urandom | base64)`."));
