using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// The compiler's own inputs, read from a csc response file (the command line a build's log prints): its sources,
/// parse and compilation options, reference assemblies, global analyzer options and every generator it loads, in the
/// order it runs them. The profile over these is the compile's generator run, not an approximation of it.
/// </summary>
internal sealed class Replay
{
    private Replay(CSharpCommandLineArguments arguments, ImmutableArray<(string Path, string Text)> sources, MetadataReference[] references, List<ISourceGenerator> generators, AnalyzerConfigOptionsProvider options)
    {
        Arguments = arguments;
        Sources = sources;
        References = references;
        Generators = generators;
        Options = options;
    }

    public CSharpCommandLineArguments Arguments { get; }

    public ImmutableArray<(string Path, string Text)> Sources { get; }

    public MetadataReference[] References { get; }

    public List<ISourceGenerator> Generators { get; }

    public AnalyzerConfigOptionsProvider Options { get; }

    /// <summary>Reads <paramref name="rspPath"/> as csc would, relative to <paramref name="baseDirectory"/> (the project's).</summary>
    public static Replay Load(string rspPath, string baseDirectory, Func<string, bool> keepGenerator)
    {
        string[] args = CommandLineParser.SplitCommandLineIntoArguments(File.ReadAllText(rspPath), removeHashComments: true).ToArray();
        CSharpCommandLineArguments parsed = CSharpCommandLineParser.Default.Parse(args, baseDirectory, sdkDirectory: null);
        if (parsed.Errors.Length > 0)
        {
            throw new InvalidOperationException("the response file did not parse: " + string.Join("; ", parsed.Errors));
        }

        var sources = parsed.SourceFiles.Select(f => (f.Path, File.ReadAllText(f.Path))).ToImmutableArray();
        MetadataReference[] references = parsed.MetadataReferences
            .Select(r => (MetadataReference)MetadataReference.CreateFromFile(Path.GetFullPath(r.Reference, baseDirectory)))
            .ToArray();

        // The generators in command-line order (the order the compiler runs them); ours is this build's, not the
        // benchmark's copy, so a change here is profiled without rebuilding the benchmark.
        var generators = new List<ISourceGenerator>();
        foreach (CommandLineAnalyzerReference analyzer in parsed.AnalyzerReferences)
        {
            string path = Path.GetFullPath(analyzer.FilePath, baseDirectory);
            if (Path.GetFileName(path) == "Parallel.Gen.Generators.dll")
            {
                generators.Add(new ParallelGen.Generators.WorkerGenerator().AsSourceGenerator());
                continue;
            }

            Type[] types;
            try
            {
                types = Assembly.LoadFrom(path).GetTypes();
            }
            catch (Exception e) when (e is ReflectionTypeLoadException or FileLoadException or BadImageFormatException)
            {
                Console.WriteLine($"skipped {Path.GetFileName(path)}: {e.Message}");
                continue;
            }

            foreach (Type type in types.Where(t => t.GetCustomAttributes<GeneratorAttribute>().Any() && !t.IsAbstract && keepGenerator(t.Name)))
            {
                object instance = Activator.CreateInstance(type)!;
                generators.Add(instance is IIncrementalGenerator incremental ? incremental.AsSourceGenerator() : (ISourceGenerator)instance);
            }
        }

        return new Replay(parsed, sources, references, generators, new GlobalOptionsProvider(ReadGlobalOptions(parsed.AnalyzerConfigPaths)));
    }

    /// <summary>
    /// A fresh compilation of the sources. With <paramref name="coldReferences"/> its references are read from disk
    /// again, so no symbols of the reference assemblies carry over from the previous run (Roslyn caches them on the
    /// metadata a reference holds): the first generator that binds then pays for decoding them, as in a fresh compile.
    /// </summary>
    public CSharpCompilation CreateCompilation(bool coldReferences) =>
        CSharpCompilation.Create(
            Arguments.CompilationName ?? "Replay",
            Sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, Arguments.ParseOptions, s.Path, Encoding.UTF8)),
            coldReferences ? References.Select(r => (MetadataReference)MetadataReference.CreateFromFile(((PortableExecutableReference)r).FilePath!)) : References,
            Arguments.CompilationOptions);

    /// <summary>The <c>is_global</c> editorconfig's <c>key = value</c> lines: the build properties generators read.</summary>
    private static Dictionary<string, string> ReadGlobalOptions(ImmutableArray<string> paths)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string path in paths)
        {
            foreach (string line in File.ReadLines(path))
            {
                int equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && !line.StartsWith('#') && !line.StartsWith('['))
                {
                    options[line[..equals].Trim()] = line[(equals + 1)..].Trim();
                }
            }
        }

        return options;
    }

    private sealed class GlobalOptionsProvider(Dictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        private static readonly AnalyzerConfigOptions Empty = new ConfigOptions([]);

        public override AnalyzerConfigOptions GlobalOptions { get; } = new ConfigOptions(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
    }

    private sealed class ConfigOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
