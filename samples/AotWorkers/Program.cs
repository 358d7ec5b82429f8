// AotWorkers: published as Native AOT, the workers are this same native binary, started again.
// Run: dotnet publish samples/AotWorkers -r linux-x64 -c Release -o out/aot && out/aot/AotWorkers
using System.Diagnostics;
using ParallelGen;

var clock = Stopwatch.StartNew();
using var pool = new ProcessPool(processes: 2);
var first = pool.Apply(Facts.Describe, 0);
TimeSpan coldStart = clock.Elapsed;

var facts = pool.Map(Facts.Describe, Enumerable.Range(0, 16), chunkSize: 1);
string host = Environment.ProcessPath ?? "?";
bool nativeHost = Facts.IsNativeAot;
Console.WriteLine($"host:    {host} (pid {Environment.ProcessId}, {(nativeHost ? "Native AOT" : "JIT")})");
foreach (var worker in facts.Select(f => (f.Pid, f.ProcessPath, f.NativeAot)).Distinct())
{
    Console.WriteLine($"worker:  {worker.ProcessPath} (pid {worker.Pid}, {(worker.NativeAot ? "Native AOT" : "JIT")})");
}

Console.WriteLine($"cold start (pool constructed -> first result): {coldStart.TotalMilliseconds:N1} ms");

// An async worker resumes on a thread-pool thread. In a JIT run of this PublishAot project that works
// because the package keeps startup hooks on for non-published builds (docs/aot.md).
int later = await pool.ApplyAsync(Facts.SquareLaterAsync, 7);
Console.WriteLine($"async worker: {later}");
bool sameBinary = facts.All(f => f.ProcessPath == host) && first.ProcessPath == host;
Console.WriteLine(sameBinary ? "workers run the host's own binary: OK" : "workers run a different binary: MISMATCH");
return sameBinary && facts.All(f => f.NativeAot == nativeHost) ? 0 : 1;

static class Facts
{
    // A JIT run of a PublishAot project also reports dynamic code as unsupported (a feature switch); only the JIT
    // runtime lists its trusted platform assemblies.
    public static bool IsNativeAot => AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is null;

    [Worker]
    public static (int Pid, string ProcessPath, bool NativeAot) Describe(int _) =>
        (Environment.ProcessId, Environment.ProcessPath ?? "?", IsNativeAot);

    [Worker]
    public static async Task<int> SquareLaterAsync(int x)
    {
        await Task.Delay(10).ConfigureAwait(false);
        return x * x;
    }
}
