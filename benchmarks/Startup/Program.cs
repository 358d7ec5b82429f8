// Cold start of a pool, measured as Python's pool_startup.py measures it: ProcessPool(2) constructed ->
// first Apply result back, then Close+Join. Prints `metric value unit` lines (median) and `# n= min= max=`.
using System.Diagnostics;
using System.Globalization;
using ParallelGen;

int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
// The build flavour is named by the caller: a PublishAot project reports IsDynamicCodeSupported=false under the JIT too.
string flavour = args.Length > 1 ? args[1] : "dotnet";

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
