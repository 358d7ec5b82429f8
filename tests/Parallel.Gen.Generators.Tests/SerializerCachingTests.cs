using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ParallelGen.Generators.Models;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>Codecs in the incremental pipeline: cached while the types they carry don't change, regenerated when they do.</summary>
public sealed class SerializerCachingTests
{
    private const string ShapesPath = "/src/Shapes.cs";
    private const string UnrelatedPath = "/src/Unrelated.cs";

    private const string Program = """
        using System;
        using Contoso;
        using ParallelGen;
        using ParallelGen.Serialization;

        using var pool = new ProcessPool(2);
        Console.WriteLine(pool.Apply(W.Count, new Order(1, [new Line("a", 2)])));

        static class W
        {
            [Worker]
            public static int Count(Order order) => order.Lines.Count;
        }

        [GenerateWireCodec(typeof(Order))]
        partial struct OrderCodec;
        """;

    private const string Shapes = """
        namespace Contoso;

        public sealed record Line(string Sku, int Quantity);

        public sealed record Order(int Id, System.Collections.Generic.List<Line> Lines);
        """;

    private static readonly string[] Steps = [TrackingNames.Workers, TrackingNames.CallSites, TrackingNames.CollectedWorkers, TrackingNames.CollectedCallSites, TrackingNames.NamedCodecs];

    [Fact]
    public void EditingAnUnrelatedFileLeavesCodecStepsCached()
    {
        CSharpCompilation compilation = Compilation();
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);

        SyntaxTree unrelated = compilation.SyntaxTrees.Single(t => t.FilePath == UnrelatedPath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(unrelated, GeneratorHarness.Parse("class Unrelated { int X => 2; }", UnrelatedPath)), TestContext.Current.CancellationToken);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string step in Steps)
        {
            IncrementalGeneratorRunStep[] runs = [.. result.TrackedSteps[step]];
            Assert.NotEmpty(runs);
            Assert.All(runs.SelectMany(r => r.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
    }

    [Fact]
    public void ChangingACarriedTypeRegeneratesItsCodecs()
    {
        CSharpCompilation compilation = Compilation();
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);

        SyntaxTree shapes = compilation.SyntaxTrees.Single(t => t.FilePath == ShapesPath);
        string changed = Shapes.Replace("Line(string Sku, int Quantity)", "Line(string Sku, int Quantity, decimal Price)", StringComparison.Ordinal);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(shapes, GeneratorHarness.Parse(changed, ShapesPath)), TestContext.Current.CancellationToken);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string step in new[] { TrackingNames.Workers, TrackingNames.CallSites, TrackingNames.NamedCodecs })
        {
            Assert.Contains(result.TrackedSteps[step].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        }

        foreach (GeneratedSourceResult source in result.GeneratedSources.Where(s => s.HintName != "WorkerEntryPoint.g.cs"))
        {
            Assert.Contains("value.Price", source.SourceText.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CodecModelsAreStringsAndEquatableArrays()
    {
        GeneratorRunResult result = GeneratorHarness.CreateDriver().RunGenerators(Compilation(), TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        NamedCodecSpec named = Assert.IsType<NamedCodecSpec>(result.TrackedSteps[TrackingNames.NamedCodecs].Single().Outputs.Single().Value);
        Assert.NotEmpty(named.Codecs);
        Assert.All(
            typeof(NamedCodecSpec).GetProperties().Concat(typeof(CodecSpec).GetProperties()).Where(p => p.Name != "EqualityContract"),
            p => Assert.True(p.PropertyType == typeof(string) || p.PropertyType == typeof(EquatableArray<CodecSpec>), $"{p.DeclaringType!.Name}.{p.Name} is a {p.PropertyType}"));
    }

    private static CSharpCompilation Compilation() => GeneratorHarness.CreateCompilation(
        [(GeneratorHarness.ProgramPath, Program), (ShapesPath, Shapes), (UnrelatedPath, "class Unrelated { int X => 1; }")]);
}
