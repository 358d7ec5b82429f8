// Map on a 2-silo loopback Orleans cluster vs the local ProcessPool, same machine, same number of worker processes.
//   dotnet run -c Release --project benchmarks/Cluster [-- --runs 3 --tiny 1000000 --heavy 64]
// Both silos and the client live in this process but talk over TCP on 127.0.0.1 (Orleans' real transport); each silo
// runs its chunks on its own ProcessPool of --processes-per-silo workers; the local pool has silos x that many.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using ParallelGen;

int runs = Option("--runs") ?? 3;
int tinyCount = Option("--tiny") ?? 1_000_000;
int heavyCount = Option("--heavy") ?? 64;
int perSilo = Option("--processes-per-silo") ?? 1;
const int Silos = 2;
int portBase = Option("--port-base") ?? 21_300;

int[] tiny = [.. Enumerable.Range(0, tinyCount)];
int[] heavy = [.. Enumerable.Range(0, heavyCount).Select(i => 150_000 + i)];

var silos = new List<IHost>();
for (int i = 0; i < Silos; i++)
{
    int index = i;
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Error);
    builder.UseOrleans(silo => silo
        .UseLocalhostClustering(siloPort: portBase + index, gatewayPort: portBase + 50 + index, primarySiloEndpoint: new IPEndPoint(IPAddress.Loopback, portBase))
        .Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = $"bench-silo-{index}")
        .AddParallelGenWorkers(o => o.ProcessPool.Processes = perSilo));
    IHost host = builder.Build();
    await host.StartAsync();
    silos.Add(host);
}

var clientBuilder = Host.CreateApplicationBuilder();
clientBuilder.Logging.SetMinimumLevel(LogLevel.Error);
clientBuilder.UseOrleansClient(c => c.UseLocalhostClustering([.. Enumerable.Range(0, Silos).Select(s => portBase + 50 + s)]));
using IHost clientHost = clientBuilder.Build();
await clientHost.StartAsync();

var results = new List<(string Case, double Local, double Cluster)>();
using (var local = new ProcessPool(Silos * perSilo))
using (var cluster = new ClusterPool(clientHost.Services.GetRequiredService<IClusterClient>()))
{
    // Warm both: worker processes started, JIT done, the cluster pool has learned the silos' sizes.
    local.Map(Bench.Square, tiny.AsSpan(0, 10_000).ToArray());
    cluster.Map(Bench.Square, tiny.AsSpan(0, 10_000).ToArray());
    local.Map(Bench.CountPrimes, heavy[..4]);
    cluster.Map(Bench.CountPrimes, heavy[..4]);

    results.Add(($"Map of {tinyCount:N0} tiny tasks (x => (long)x * x)", Median(() => Check(local.Map(Bench.Square, tiny))), Median(() => Check(cluster.Map(Bench.Square, tiny)))));
    int[] expected = local.Map(Bench.CountPrimes, heavy);
    results.Add(($"Map of {heavyCount} CPU-heavy tasks (count primes below ~150,000)", Median(() => local.Map(Bench.CountPrimes, heavy)), Median(() => Same(expected, cluster.Map(Bench.CountPrimes, heavy)))));
    int[] small = [.. Enumerable.Range(0, 2_000)];
    results.Add(("Per chunk: Map of 2,000 items, chunkSize 1 (time / chunk, 6 chunks in flight)", Median(() => local.Map(Bench.Square, small, chunkSize: 1)) / small.Length, Median(() => cluster.Map(Bench.Square, small, chunkSize: 1)) / small.Length));
    Console.WriteLine($"cluster chunks per silo: {string.Join(", ", cluster.ChunksBySilo.Select(s => $"{s.Key}={s.Value}"))}; silo-loss retries {cluster.SiloLossRetries}");
}

Console.WriteLine();
Console.WriteLine($"{Environment.ProcessorCount} cores; local ProcessPool({Silos * perSilo}) vs ClusterPool on {Silos} silos x {perSilo} worker process(es); median of {runs} runs");
Console.WriteLine();
Console.WriteLine("| case | local ProcessPool | 2-silo cluster | cluster / local |");
Console.WriteLine("|---|---:|---:|---:|");
foreach ((string name, double localMs, double clusterMs) in results)
{
    string format = localMs < 10 ? "N3" : "N0";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {localMs.ToString(format, CultureInfo.InvariantCulture)} ms | {clusterMs.ToString(format, CultureInfo.InvariantCulture)} ms | {clusterMs / localMs:N2}x |"));
}

await clientHost.StopAsync();
foreach (IHost silo in silos)
{
    await silo.StopAsync();
    silo.Dispose();
}

return 0;

double Median(Action run)
{
    var times = new double[runs];
    for (int i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        run();
        times[i] = clock.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    return times[runs / 2];
}

void Check(long[] squares)
{
    if (squares.Length != tinyCount || squares[^1] != (long)(tinyCount - 1) * (tinyCount - 1))
    {
        throw new InvalidOperationException("wrong result");
    }
}

static void Same(int[] expected, int[] actual)
{
    if (!expected.AsSpan().SequenceEqual(actual))
    {
        throw new InvalidOperationException("wrong result");
    }
}

int? Option(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : null;
}

static class Bench
{
    [Worker]
    public static long Square(int x) => (long)x * x;

    [Worker]
    public static int CountPrimes(int limit)
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

        return count;
    }
}
