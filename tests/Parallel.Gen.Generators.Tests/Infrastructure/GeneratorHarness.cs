using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ParallelGen.Generators.Tests.Infrastructure;

/// <summary>
/// Compiles C# test sources against the framework and Parallel.Gen.dll, runs <see cref="WorkerGenerator"/>
/// over them through a <see cref="GeneratorDriver"/> (with step tracking on), and checks the result compiles.
/// </summary>
internal static class GeneratorHarness
{
    /// <summary>The path of the main test source: fixed, so snapshots (interceptor comments) never depend on the machine.</summary>
    public const string ProgramPath = "/src/Program.cs";

    /// <summary>Assembly name of executable test compilations (names the worker table: <c>WorkerTable_TestApp</c>).</summary>
    public const string AppAssemblyName = "TestApp";

    /// <summary>Assembly name of library test compilations.</summary>
    public const string LibraryAssemblyName = "TestLib";

    /// <summary>What the package's build props give a consumer: the preview language and our interceptors namespace.</summary>
    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Preview)
        .WithFeatures([new("InterceptorsNamespaces", "ParallelGen.Generated")]);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>A compilation of one source file at <see cref="ProgramPath"/>.</summary>
    public static CSharpCompilation CreateCompilation(string source, OutputKind kind = OutputKind.ConsoleApplication, params IEnumerable<MetadataReference> references) =>
        CreateCompilation([(ProgramPath, source)], kind, references);

    /// <summary>A compilation of several source files, each at the given (machine-independent) path, with extra <paramref name="references"/>.</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<(string Path, string Source)> sources, OutputKind kind = OutputKind.ConsoleApplication, params IEnumerable<MetadataReference> references)
    {
        string assemblyName = kind is OutputKind.ConsoleApplication or OutputKind.WindowsApplication ? AppAssemblyName : LibraryAssemblyName;
        var options = new CSharpCompilationOptions(kind)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithWarningLevel(9999)
            .WithDeterministic(true);
        return CSharpCompilation.Create(assemblyName, sources.Select(s => Parse(s.Source, s.Path)), References.Value.Concat(references), options);
    }

    public static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path, Encoding.UTF8, TestContext.Current.CancellationToken);

    /// <summary>A driver for <see cref="WorkerGenerator"/> that records every named pipeline step.</summary>
    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new WorkerGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// Runs the generator over <paramref name="compilation"/> and asserts that it neither threw nor reported
    /// anything, and that the sources plus the generated files compile without a warning or an error.
    /// </summary>
    public static GeneratorRun RunAndAssertCompiles(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(
            compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics, TestContext.Current.CancellationToken);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            Assert.Fail("The generator threw: " + result.Exception);
        }

        Assert.True(generatorDiagnostics.IsEmpty, "The generator reported diagnostics:\n" + Describe(generatorDiagnostics, output));
        AssertCompiles(output);
        return new GeneratorRun(driver, output, result);
    }

    /// <summary>Emits <paramref name="compilation"/> and fails, listing them, on any diagnostic of Warning or Error severity.</summary>
    public static void AssertCompiles(Compilation compilation)
    {
        using var peStream = new MemoryStream();
        var emit = compilation.Emit(peStream, cancellationToken: TestContext.Current.CancellationToken);
        ImmutableArray<Diagnostic> problems = emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        Assert.True(problems.IsEmpty && emit.Success, "The sources plus the generated files don't compile cleanly:\n" + Describe(problems, compilation));
    }

    /// <summary>Emits <paramref name="compilation"/> (asserting it compiles cleanly) and returns it as a reference, as a built library would be.</summary>
    public static MetadataReference EmitReference(Compilation compilation)
    {
        using var peStream = new MemoryStream();
        var emit = compilation.Emit(peStream, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emit.Success, "The library doesn't compile:\n" + Describe(emit.Diagnostics, compilation));
        return MetadataReference.CreateFromImage(peStream.ToArray());
    }

    /// <summary>One line per diagnostic, with the offending source line (which for generated files is the useful part).</summary>
    private static string Describe(IEnumerable<Diagnostic> diagnostics, Compilation compilation)
    {
        var text = new StringBuilder();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            text.Append("  ").AppendLine(diagnostic.ToString());
            if (diagnostic.Location.SourceTree is { } tree && compilation.ContainsSyntaxTree(tree))
            {
                int line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
                text.Append("      > ").AppendLine(tree.GetText().Lines[line].ToString().Trim());
            }
        }

        return text.ToString();
    }

    /// <summary>Every trusted platform assembly of the test host (the framework and our dependencies) plus Parallel.Gen.dll.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
            ?? throw new InvalidOperationException("The host exposes no TRUSTED_PLATFORM_ASSEMBLIES.");
        return trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(ProcessPool).Assembly.Location)
            .Select(Path.GetFullPath)
            .DistinctBy(path => Path.GetFileName(path), StringComparer.OrdinalIgnoreCase)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}

/// <summary>The outcome of one generator run: the driver (to run again incrementally), the updated compilation and the run's result.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation OutputCompilation, GeneratorRunResult Result)
{
    /// <summary>Hint names of the generated files, sorted.</summary>
    public IReadOnlyList<string> HintNames => Result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal).ToList();

    /// <summary>The text of the generated file named <paramref name="hintName"/>.</summary>
    public string Source(string hintName) => Result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();
}
