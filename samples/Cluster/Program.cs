// Cluster: the QuickStart's work on an Orleans cluster. One program, three roles, each its own process:
//   dotnet run -- silo 0      the first silo (also the membership seed)
//   dotnet run -- silo 1      a second silo
//   dotnet run -- client      maps the work over the cluster and prints which silo and process ran each chunk
// Every silo and the client run on this machine (localhost clustering); add --port-base N to move the ports.
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using ParallelGen;

string role = args.Length > 0 ? args[0] : "client";
int portBase = ReadOption(args, "--port-base") ?? 11_100;
int silos = ReadOption(args, "--silos") ?? 2;

if (role == "silo")
{
    int index = args.Length > 1 && int.TryParse(args[1], out int i) ? i : 0;
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Error);
    builder.UseOrleans(silo => silo
        .UseLocalhostClustering(siloPort: portBase + index, gatewayPort: portBase + 50 + index, primarySiloEndpoint: new IPEndPoint(IPAddress.Loopback, portBase))
        .AddParallelGenWorkers(o => o.ProcessPool.Processes = ReadOption(args, "--processes") ?? Math.Max(1, Environment.ProcessorCount / silos)));
    using IHost host = builder.Build();
    await host.StartAsync();
    Console.WriteLine($"silo {index} ready: pid {Environment.ProcessId}, silo port {portBase + index}, gateway port {portBase + 50 + index}");
    await host.WaitForShutdownAsync();
    return 0;
}

var clientBuilder = Host.CreateApplicationBuilder();
clientBuilder.Logging.SetMinimumLevel(LogLevel.Error);
clientBuilder.UseOrleansClient(client => client.UseLocalhostClustering([.. Enumerable.Range(0, silos).Select(s => portBase + 50 + s)]));
using IHost clientHost = clientBuilder.Build();
await clientHost.StartAsync();
IClusterClient cluster = clientHost.Services.GetRequiredService<IClusterClient>();

int[] inputs = [.. Enumerable.Range(1, 64).Select(i => 200_000 + i)];
using var pool = new ClusterPool(cluster);
(int Primes, string Host, int SiloPid, int WorkerPid)[] results = await pool.MapAsync(Work.CountPrimes, inputs, chunkSize: 4);

foreach (var chunk in results.Select((r, item) => (r, item)).GroupBy(x => x.item / 4))
{
    var (_, host, siloPid, workerPid) = chunk.First().r;
    Console.WriteLine($"chunk {chunk.Key,2} (items {chunk.First().item,2}..{chunk.Last().item,2}): host {host}, silo pid {siloPid}, worker pid {workerPid}");
}

long checksum = results.Sum(r => (long)r.Primes);
long expected = inputs.Sum(n => (long)Work.CountPrimes(n).Primes);
int siloCount = results.Select(r => r.SiloPid).Distinct().Count();
Console.WriteLine($"{results.Length} items on {siloCount} silos ({string.Join(", ", pool.ChunksBySilo.Select(s => $"{s.Key}: {s.Value} chunks"))})");
Console.WriteLine($"checksum {checksum} (computed here: {expected}) {(checksum == expected ? "OK" : "MISMATCH")}");
await clientHost.StopAsync();
return checksum == expected ? 0 : 1;

static int? ReadOption(string[] args, string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out int value) ? value : null;
}

static class Work
{
    /// <summary>Counts primes below <paramref name="limit"/> by trial division (deliberately CPU-bound) and says who ran it.</summary>
    [Worker]
    public static (int Primes, string Host, int SiloPid, int WorkerPid) CountPrimes(int limit)
    {
        int count = 0;
        for (int n = 2; n < limit; n++)
        {
            bool prime = true;
            for (int d = 2; d * d <= n; d++)
            {
                if (n % d == 0)
                {
                    prime = false;
                    break;
                }
            }

            if (prime)
            {
                count++;
            }
        }

        // In a silo's worker process, the parent is the silo.
        return (count, Environment.MachineName, WorkerContext.ParentProcessId, Environment.ProcessId);
    }
}
