// Cold start of a pool, measured as Python's pool_startup.py measures it: ProcessPool(2) constructed ->
// first Apply result back, then Close+Join. Prints `metric value unit` lines (median) and `# n= min= max=`.
using System.Diagnostics;
using System.Globalization;
using ParallelGen;

int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
// The build flavour is named by the caller: a PublishAot project reports IsDynamicCodeSupported=false under the JIT too.
string flavour = args.Length > 1 ? args[1] : "dotnet";

if (flavour == "cpu")
{
    return MeasureCpu(repeats);
}

// Warm-up (page cache, first-time disk reads); discarded, as in the Python script.
Measure();
var first = new List<double>();
var teardown = new List<double>();
for (int i = 0; i < repeats; i++)
{
    (double f, double t) = Measure();
    first.Add(f);
    teardown.Add(t);
}

Emit($"startup.{flavour}.pool2_first_task_ms", first);
Emit($"startup.{flavour}.pool2_teardown_ms", teardown);
return 0;

static (double FirstTask, double Teardown) Measure()
{
    long t0 = Stopwatch.GetTimestamp();
    var pool = new ProcessPool(processes: 2);
    int r = pool.Apply(Trivial.AddOne, 1);
    long t1 = Stopwatch.GetTimestamp();
    pool.Close();
    pool.Join();
    pool.Dispose();
    long t2 = Stopwatch.GetTimestamp();
    if (r != 2)
    {
        throw new InvalidOperationException("wrong result");
    }

    return (Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds, Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
}

// What does not move with the machine's load: the CPU each worker spent until it was ready and had answered (the two
// workers' start-up work shares the cores), and the parent's CPU from construction to the first result.
static int MeasureCpu(int repeats)
{
    _ = MeasureOne();
    var wall = new List<double>();
    var worker = new List<double>();
    var parent = new List<double>();
    for (int i = 0; i < repeats; i++)
    {
        (double w, double[] workers, double p) = MeasureOne();
        wall.Add(w);
        worker.AddRange(workers);
        parent.Add(p);
    }

    Emit("startup.cpu.pool2_first_task_wall_ms", wall);
    Emit("startup.cpu.worker_cpu_ms", worker);
    Emit("startup.cpu.parent_cpu_ms", parent);
    return 0;

    static (double Wall, double[] Workers, double Parent) MeasureOne()
    {
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        // STARTUP_WORKER names a wrapper script for the workers (e.g. one that sets DOTNET_JitStdOutFile for them alone).
        using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 2, WorkerExecutable = Environment.GetEnvironmentVariable("STARTUP_WORKER") });
        int r = pool.Apply(Trivial.AddOne, 1);
        double wall = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        double parentCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
        if (r != 2)
        {
            throw new InvalidOperationException("wrong result");
        }

        // Both workers answer one call each, so both are past their first chunk when their CPU is read.
        _ = pool.Map(Trivial.AddOne, [1, 2], chunkSize: 1);
        Thread.Sleep(100);
        return (wall, [.. pool.WorkerProcessIds.Select(WorkerCpuMs)], parentCpu);
    }

    static double WorkerCpuMs(int pid)
    {
        long ns = 0;
        foreach (string task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            ns += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return ns / 1e6;
    }
}

static void Emit(string name, List<double> samples)
{
    samples.Sort();
    double median = samples[samples.Count / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {median:G6} ms"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {name} n={samples.Count} min={samples[0]:G6} max={samples[^1]:G6}"));
}

static class Trivial
{
    [Worker]
    public static int AddOne(int x) => x + 1;
}
