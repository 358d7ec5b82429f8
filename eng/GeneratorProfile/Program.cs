using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// Usage: dotnet run -c Release --project eng/GeneratorProfile -- <dir with the benchmark's *.cs> [runs] [--no-stj]
// Each run compiles the sources afresh (as a build does) and runs both generators in one driver; the step times
// come from Roslyn's own tracking (IncrementalGeneratorRunStep.ElapsedTime), the totals from GetTimingInfo.
string directory = args.Length > 0 ? args[0] : Path.Combine("artifacts", "generator-benchmark");
int runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
bool withStj = !args.Contains("--no-stj");
var parseOptions = new CSharpParseOptions(LanguageVersion.Preview).WithFeatures([new("InterceptorsNamespaces", "ParallelGen.Generated")]);
string[] files = Directory.GetFiles(directory, "*.cs", SearchOption.TopDirectoryOnly);
var texts = files.Select(f => (Path: f, Text: File.ReadAllText(f))).ToArray();
string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
MetadataReference[] references = trusted.Split(Path.PathSeparator)
    .Append(typeof(ParallelGen.ProcessPool).Assembly.Location)
    .DistinctBy(Path.GetFileName)
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
    .ToArray();

var generators = new List<ISourceGenerator> { new ParallelGen.Generators.WorkerGenerator().AsSourceGenerator() };
if (withStj)
{
    string sdkPacks = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref");
    string stjPath = Directory.GetFiles(sdkPacks, "System.Text.Json.SourceGeneration.dll", SearchOption.AllDirectories).Where(p => p.Contains("/cs/", StringComparison.Ordinal)).Order().Last();
    Type stjType = Assembly.LoadFrom(stjPath).GetType("System.Text.Json.SourceGeneration.JsonSourceGenerator")!;
    ISourceGenerator stj = ((IIncrementalGenerator)Activator.CreateInstance(stjType)!).AsSourceGenerator();
    if (args.Contains("--stj-first"))
    {
        generators.Insert(0, stj);
    }
    else
    {
        generators.Add(stj);
    }
}

var totals = new Dictionary<string, List<double>>();
for (int run = 0; run < runs; run++)
{
    var trees = texts.Select(t => CSharpSyntaxTree.ParseText(t.Text, parseOptions, t.Path, Encoding.UTF8)).ToArray();
    var compilation = CSharpCompilation.Create("GeneratorBenchmark", trees, references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: args.Contains("--nullable-off") ? NullableContextOptions.Disable : NullableContextOptions.Enable));
    GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, parseOptions: parseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    var wall = Stopwatch.StartNew();
    driver = driver.RunGenerators(compilation);
    wall.Stop();
    GeneratorDriverTimingInfo timing = driver.GetTimingInfo();
    Add("wall (all generators)", wall.Elapsed);
    foreach (GeneratorTimingInfo g in timing.GeneratorTimes)
    {
        Add(g.Generator.GetGeneratorType().Name + " total", g.ElapsedTime);
    }

    foreach (GeneratorRunResult result in driver.GetRunResult().Results)
    {
        if (result.Exception is not null)
        {
            Console.WriteLine(result.Generator.GetGeneratorType().Name + " threw: " + result.Exception);
        }

        foreach ((string name, ImmutableArray<IncrementalGeneratorRunStep> steps) in result.TrackedSteps)
        {
            Add(result.Generator.GetGeneratorType().Name + " step " + name + " (x" + steps.Length + ")", TimeSpan.FromTicks(steps.Sum(s => s.ElapsedTime.Ticks)));
        }
    }
}

foreach ((string name, List<double> ms) in totals.OrderBy(p => p.Key, StringComparer.Ordinal))
{
    ms.Sort();
    Console.WriteLine($"{name,-70} median {ms[ms.Count / 2],8:F1} ms  range {ms[0]:F1}-{ms[^1]:F1}");
}

void Add(string name, TimeSpan elapsed)
{
    if (!totals.TryGetValue(name, out List<double>? list))
    {
        totals[name] = list = [];
    }

    list.Add(elapsed.TotalMilliseconds);
}
