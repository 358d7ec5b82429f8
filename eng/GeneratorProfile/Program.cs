using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// Usage: dotnet run -c Release --project eng/GeneratorProfile -- <dir with the benchmark's *.cs> [runs] [--no-stj] [--stj-first]
//    or: dotnet run -c Release --project eng/GeneratorProfile -- <project dir> [runs] --rsp <csc.rsp> [--generators Worker,Json]
// Each run compiles the sources afresh (as a build does) and runs the generators in one driver; the step times
// come from Roslyn's own tracking (IncrementalGeneratorRunStep.ElapsedTime), the totals from GetTimingInfo.
// With --rsp the compile is the compiler's own (eng/generator-benchmark.py --rsp writes the file): its sources, options,
// reference assemblies, global analyzer options and all its generators in its order (--generators keeps those whose
// type name contains one of the words; --first moves one to the front; --cold-references reads the reference assemblies
// afresh each run). --no-track turns step tracking off, as in the compiler (totals only).
string directory = args.Length > 0 ? args[0] : Path.Combine("artifacts", "generator-benchmark");
int runs = args.Length > 1 && int.TryParse(args[1], System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 5;
bool track = !args.Contains("--no-track");
string? rsp = OptionValue("--rsp");
Replay? replay = null;
var parseOptions = new CSharpParseOptions(LanguageVersion.Preview).WithFeatures([new("InterceptorsNamespaces", "ParallelGen.Generated")]);
var generators = new List<ISourceGenerator>();
Func<CSharpCompilation> createCompilation;
if (rsp is not null)
{
    string[] keep = OptionValue("--generators")?.Split(',') ?? [];
    replay = Replay.Load(rsp, Path.GetFullPath(directory), name => keep.Length == 0 || keep.Any(k => name.Contains(k, StringComparison.Ordinal)));
    parseOptions = replay.Arguments.ParseOptions;
    generators = replay.Generators;
    bool cold = args.Contains("--cold-references");
    createCompilation = () => replay.CreateCompilation(cold);
    if (OptionValue("--first") is { } first)
    {
        // The first generator to ask for symbols pays for binding what later ones read: this moves one to the front.
        generators = [.. generators.OrderBy(g => g.GetGeneratorType().Name.Contains(first, StringComparison.Ordinal) ? 0 : 1)];
    }

    Console.WriteLine("replaying " + rsp + ": " + replay.Sources.Length + " sources, " + replay.References.Length + " references, generators in order: "
        + string.Join(", ", generators.Select(g => g.GetGeneratorType().Name)));
}
else
{
    createCompilation = CreateSimpleCompilation(directory, parseOptions, args.Contains("--nullable-off"));
    generators.Add(new ParallelGen.Generators.WorkerGenerator().AsSourceGenerator());
    if (!args.Contains("--no-stj"))
    {
        string sdkPacks = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref");
        string stjPath = Directory.GetFiles(sdkPacks, "System.Text.Json.SourceGeneration.dll", SearchOption.AllDirectories).Where(p => p.Contains("/cs/", StringComparison.Ordinal)).Order().Last();
        Type stjType = Assembly.LoadFrom(stjPath).GetType("System.Text.Json.SourceGeneration.JsonSourceGenerator")!;
        ISourceGenerator stj = ((IIncrementalGenerator)Activator.CreateInstance(stjType)!).AsSourceGenerator();
        generators.Insert(args.Contains("--stj-first") ? 0 : 1, stj);
    }
}

if (args.Contains("--parse"))
{
    ParseProfile.Run(createCompilation, runs);
    return;
}

var totals = new Dictionary<string, List<double>>();
for (int run = 0; run < runs; run++)
{
    CSharpCompilation compilation = createCompilation();
    GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, parseOptions: parseOptions, optionsProvider: replay?.Options,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));
    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var wall = Stopwatch.StartNew();
    driver = driver.RunGenerators(compilation);
    wall.Stop();
    // Reported as if milliseconds: the table prints every row the same way (1 "ms" here is 1 MB allocated).
    Add("allocated MB (all generators)", TimeSpan.FromMilliseconds((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0));
    GeneratorDriverTimingInfo timing = driver.GetTimingInfo();
    Add("wall (all generators)", wall.Elapsed);
    foreach (GeneratorTimingInfo g in timing.GeneratorTimes)
    {
        Add(g.Generator.GetGeneratorType().Name + " total", g.ElapsedTime);
        if (runs > 1 && args.Contains("--each"))
        {
            Console.WriteLine($"run {run + 1}: {g.Generator.GetGeneratorType().Name} {g.ElapsedTime.TotalMilliseconds:F1} ms");
        }
    }

    string? dump = OptionValue("--dump");
    foreach (GeneratorRunResult result in driver.GetRunResult().Results)
    {
        if (dump is not null && run == 0)
        {
            // What the compiler parses after the generator (and charges to it): written out to read, and parsed again here to time it.
            Directory.CreateDirectory(dump);
            var parse = Stopwatch.StartNew();
            foreach (GeneratedSourceResult source in result.GeneratedSources)
            {
                File.WriteAllText(Path.Combine(dump, source.HintName), source.SourceText.ToString());
                _ = CSharpSyntaxTree.ParseText(source.SourceText, parseOptions).GetRoot();
            }

            Console.WriteLine($"{result.Generator.GetGeneratorType().Name}: parsing its {result.GeneratedSources.Length} files again took {parse.Elapsed.TotalMilliseconds:F0} ms");
        }

        Add(result.Generator.GetGeneratorType().Name + " emitted chars", TimeSpan.FromMilliseconds(result.GeneratedSources.Sum(s => s.SourceText.Length)));
        Add(result.Generator.GetGeneratorType().Name + " emitted files", TimeSpan.FromMilliseconds(result.GeneratedSources.Length));
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

string? OptionValue(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static Func<CSharpCompilation> CreateSimpleCompilation(string directory, CSharpParseOptions parseOptions, bool nullableOff)
{
    var texts = Directory.GetFiles(directory, "*.cs", SearchOption.TopDirectoryOnly).Select(f => (Path: f, Text: File.ReadAllText(f))).ToArray();
    string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
    MetadataReference[] references = trusted.Split(Path.PathSeparator)
        .Append(typeof(ParallelGen.ProcessPool).Assembly.Location)
        .DistinctBy(Path.GetFileName)
        .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
        .ToArray();
    return () => CSharpCompilation.Create(
        "GeneratorBenchmark",
        texts.Select(t => CSharpSyntaxTree.ParseText(t.Text, parseOptions, t.Path, Encoding.UTF8)),
        references,
        new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: nullableOff ? NullableContextOptions.Disable : NullableContextOptions.Enable));
}
