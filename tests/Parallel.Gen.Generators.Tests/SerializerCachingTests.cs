using System.Collections.Immutable;
using System.Reflection;
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
        foreach (string step in new[] { TrackingNames.Workers, TrackingNames.NamedCodecs })
        {
            Assert.Contains(result.TrackedSteps[step].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        }

        // The call site names the worker by id: the worker is parsed once (the Workers step above), not again for the call.
        Assert.All(
            result.TrackedSteps[TrackingNames.CallSites].SelectMany(r => r.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"CallSites: {o.Reason} (does the call site carry the parsed worker?)"));

        // The assembly's one codec file carries the new member; the files that only name the codec are left as they were.
        Assert.Contains("value.Price", result.GeneratedSources.Single(s => s.HintName == "WireCodecs.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        Assert.Contains(
            result.TrackedSteps[TrackingNames.Codecs].SelectMany(r => r.Outputs),
            o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void CodecModelsHoldDataNotText()
    {
        GeneratorRunResult result = GeneratorHarness.CreateDriver().RunGenerators(Compilation(), TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        NamedCodecSpec named = Assert.IsType<NamedCodecSpec>(result.TrackedSteps[TrackingNames.NamedCodecs].Single().Outputs.Single().Value);
        Assert.NotEmpty(named.Codecs);
        var problems = new List<string>();
        foreach (CodecSpec codec in named.Codecs)
        {
            CheckData(codec, codec.Name, problems);
        }

        Assert.True(problems.Count == 0, "Codec models must hold names and numbers that the emitter renders, not rendered C#:\n  " + string.Join("\n  ", problems));
    }

    /// <summary>Strings are single names (no statements, no line breaks); the rest are numbers, flags and equatable arrays of the same.</summary>
    private static void CheckData(object value, string path, List<string> problems)
    {
        foreach (PropertyInfo property in value.GetType().GetProperties().Where(p => p.Name != "EqualityContract" && p.GetIndexParameters().Length == 0))
        {
            object? item = property.GetValue(value);
            string where = path + "." + property.Name;
            switch (item)
            {
                case string text when text.Contains('\n', StringComparison.Ordinal) || text.Contains(';', StringComparison.Ordinal):
                    problems.Add(where + " holds C# text: " + text);
                    break;
                case string or int or bool:
                    break;
                case System.Collections.IEnumerable items when property.PropertyType.Name.StartsWith("EquatableArray", StringComparison.Ordinal):
                    int i = 0;
                    foreach (object element in items)
                    {
                        if (element is not string)
                        {
                            CheckData(element, where + "[" + i + "]", problems);
                        }

                        i++;
                    }

                    break;
                default:
                    problems.Add(where + " is a " + property.PropertyType.Name);
                    break;
            }
        }
    }

    private static CSharpCompilation Compilation() => GeneratorHarness.CreateCompilation(
        [(GeneratorHarness.ProgramPath, Program), (ShapesPath, Shapes), (UnrelatedPath, "class Unrelated { int X => 1; }")]);
}
