// Parallel.Gen and Python's multiprocessing, side by side, in one run on this machine.
//   dotnet run -c Release --project benchmarks/Compare [-- --quick] [--no-python] [--no-write] [--only apply_async_latency,imap_unordered]
using System.Globalization;
using System.Runtime.InteropServices;
using ParallelGen;
using ParallelGen.Benchmarks.Compare;
using ParallelGen.Benchmarks.Compare.Workloads;

bool quick = args.Contains("--quick");
bool write = !args.Contains("--no-write");
int repeats = quick ? 2 : 5;
string root = FindRoot();
string scripts = Path.Combine(root, "benchmarks", "python");
var results = new Dictionary<string, Measurement>(StringComparer.Ordinal);
void Record(IEnumerable<Measurement> measurements)
{
    foreach (Measurement m in measurements)
    {
        results[m.Name] = m;
        Console.WriteLine(m);
    }
}

string? python = args.Contains("--no-python") ? null : PythonBaseline.FindPython();
if (python is null)
{
    Console.WriteLine("# Python 3 with multiprocessing was not found (or --no-python): running Parallel.Gen's side alone.");
}

string[] primitiveScripts = [.. PrimitiveWorkloads.Scripts];

// Interleave the two sides workload by workload, so a noisy phase of the machine hits both.
string[] pythonScripts = ["pool_startup", "map_tiny", "map_chunks", "apply_async_latency", "imap_unordered", "large_payload", "cpu_bound_speedup", "lock_contention", "bounded_queue"];

// --only a,b runs just those workloads (for A/B runs of one change); a partial run never overwrites the docs' table.
if (Array.IndexOf(args, "--only") is int only and >= 0 && only + 1 < args.Length)
{
    string[] wanted = args[only + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    pythonScripts = [.. pythonScripts.Where(wanted.Contains)];
    primitiveScripts = [.. primitiveScripts.Where(wanted.Contains)];
    write = false;
}

using (var pool = new ProcessPool(processes: 2))
{
    pool.Map(Workers.Square, Enumerable.Range(0, 1_000));
    foreach (string script in pythonScripts)
    {
        Console.WriteLine($"# == {script}");
        if (python is not null)
        {
            Record(PythonBaseline.Run(python, scripts, script, repeats));
        }

        Record(script switch
        {
            "pool_startup" => PoolWorkloads.Startup(repeats),
            "map_tiny" => PoolWorkloads.MapTiny(pool, repeats),
            "apply_async_latency" => PoolWorkloads.ApplyLatency(pool, repeats),
            "imap_unordered" => PoolWorkloads.ImapUnordered(pool, repeats),
            "large_payload" => PoolWorkloads.LargePayload(pool, repeats),
            "cpu_bound_speedup" => PoolWorkloads.CpuBound(pool, repeats),
            "lock_contention" => LockWorkloads.Run(repeats),
            "bounded_queue" => BoundedQueueWorkloads.Throughput(repeats),
            _ => [],
        });
    }
}

// Queues, pipes, shared values, managers and shared arrays (issue 9's primitives rows); no shared pool needed.
foreach (string script in primitiveScripts)
{
    Console.WriteLine($"# == {script}");
    if (python is not null && PrimitiveWorkloads.HasPythonScript(script))
    {
        Record(PythonBaseline.Run(python, scripts, script, repeats));
    }

    Record(PrimitiveWorkloads.Run(script, repeats));
}

Console.WriteLine();
Console.WriteLine(PerformanceReport.Table(results));
if (write)
{
    string docs = Path.Combine(root, "docs");
    Directory.CreateDirectory(docs);
    const string Chart = "performance-chunk-size.png";
    ChunkChart.Write(Path.Combine(docs, Chart), results);
    string machine = string.Create(CultureInfo.InvariantCulture, $"{RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.OSArchitecture}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}, load average {LoadAverage()}");
    PerformanceReport.Write(Path.Combine(docs, "performance.md"), results, machine, Chart);
    Console.WriteLine($"wrote docs/performance.md and docs/{Chart}");
}

return 0;

static string FindRoot()
{
    for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Parallel.Gen.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
}
