using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>The incremental pipeline: edits elsewhere leave every step cached, and its models hold no compiler objects.</summary>
public sealed class IncrementalCachingTests
{
    private const string UnrelatedPath = "/src/Unrelated.cs";

    private const string Program = """
        using System;
        using ParallelGen;

        using var pool = new ProcessPool(2);
        long[] squares = pool.Map(W.Square, new[] { 1, 2, 3 });
        int sum = await pool.ApplyAsync(W.Add, 1, 2);
        Console.WriteLine(squares.Length + sum);

        static class W
        {
            [Worker]
            public static long Square(int x) => (long)x * x;

            [Worker]
            public static int Add(int a, int b) => a + b;
        }
        """;

    /// <summary>The steps whose outputs feed the generated files; Assembly re-runs on every compilation by design (its output stays equal).</summary>
    private static readonly string[] CachedSteps = [TrackingNames.Workers, TrackingNames.CallSites, TrackingNames.CollectedWorkers, TrackingNames.CollectedCallSites, TrackingNames.ResolvedCallSites, TrackingNames.Codecs];

    private const string WorkersPath = "/src/Workers.cs";

    /// <summary>The calls of <see cref="Program"/>, with their workers in a file of their own (<see cref="Workers"/>).</summary>
    private const string Calls = """
        using System;
        using ParallelGen;

        using var pool = new ProcessPool(2);
        long[] squares = pool.Map(W.Square, new[] { 1, 2, 3 });
        int sum = await pool.ApplyAsync(W.Add, 1, 2);
        Console.WriteLine(squares.Length + sum);
        """;

    private const string Workers = """
        using ParallelGen;

        static class W
        {
            [Worker]
            public static long Square(int x) => (long)x * x;

            [Worker]
            public static int Add(int a, int b)
            {
                return a + b;
            }
        }
        """;

    /// <summary>Our named steps (Roslyn's own steps, also tracked, legitimately carry syntax and compilations).</summary>
    private static readonly string[] ModelSteps = [.. CachedSteps, TrackingNames.Assembly];

    private static readonly Type[] CompilerObjectTypes =
        [typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel), typeof(AttributeData)];

    [Fact]
    public void EditingAnUnrelatedFileLeavesTheStepsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(
            [(GeneratorHarness.ProgramPath, Program), (UnrelatedPath, "class Unrelated { int X => 1; }")]);
        GeneratorDriver driver = FirstRun(compilation);

        SyntaxTree unrelated = compilation.SyntaxTrees.Single(t => t.FilePath == UnrelatedPath);
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(unrelated, GeneratorHarness.Parse("class Unrelated { int X => 2; }", UnrelatedPath));
        driver = driver.RunGenerators(edited, TestContext.Current.CancellationToken);

        AssertAllCached(driver.GetRunResult().Results.Single());
    }

    [Fact]
    public void EditingAWorkersBodyLeavesTheStepsCached()
    {
        // A worker's body is not part of any model: the worker step re-parses the edited file and finds equal models, and
        // the call sites (in another file, whose checksum their interceptable locations carry) are not parsed again.
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([(GeneratorHarness.ProgramPath, Calls), (WorkersPath, Workers)]);
        GeneratorDriver driver = FirstRun(compilation);

        SyntaxTree workers = compilation.SyntaxTrees.Single(t => t.FilePath == WorkersPath);
        string edited = Workers.Replace("return a + b;", "int total = a + b;\n        return total;", StringComparison.Ordinal);
        Assert.NotEqual(Workers, edited);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(workers, GeneratorHarness.Parse(edited, WorkersPath)), TestContext.Current.CancellationToken);

        AssertAllCached(driver.GetRunResult().Results.Single());
    }

    [Fact]
    public void AddingAnUnrelatedFileLeavesTheStepsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Program);
        GeneratorDriver driver = FirstRun(compilation);

        CSharpCompilation extended = compilation.AddSyntaxTrees(GeneratorHarness.Parse("class Unrelated { int X => 1; }", UnrelatedPath));
        driver = driver.RunGenerators(extended, TestContext.Current.CancellationToken);

        AssertAllCached(driver.GetRunResult().Results.Single());
    }

    /// <summary>
    /// A struct flowing between steps makes the JIT compile the compiler's pipeline classes for it in every build (they are
    /// precompiled for reference types only): with a struct <c>EquatableArray</c> that was ~370 methods and most of the
    /// generator's time in a cold compiler. Every named step's output must be a class.
    /// </summary>
    [Fact]
    public void StepsPassReferenceTypes()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Program);
        compilation = compilation.AddSyntaxTrees(GeneratorHarness.Parse("""
            using ParallelGen;
            static class Items
            {
                static void Use(Manager manager) => manager.Queue<int>();
            }
            """, UnrelatedPath));
        GeneratorRunResult result = GeneratorHarness.RunAndAssertCompiles(compilation).Result;

        string[] steps = [.. ModelSteps, TrackingNames.CodecUses, TrackingNames.CollectedCodecUses, TrackingNames.StackCapture];
        foreach (string name in steps)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> runs) && !runs.IsEmpty, $"No step named {name}.");
            foreach ((object value, IncrementalStepRunReason _) in runs.SelectMany(r => r.Outputs))
            {
                Assert.False(value.GetType().IsValueType, $"{name} passes a {value.GetType().Name}, a struct: wrap it in a class (a record) or make the model a class.");
            }
        }
    }

    [Fact]
    public void ModelsHoldNoCompilerObjects()
    {
        GeneratorRunResult result = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Program)).Result;

        var problems = new List<string>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (string name in ModelSteps)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> steps), $"No step named {name}.");
            foreach (IncrementalGeneratorRunStep step in steps)
            {
                for (int i = 0; i < step.Outputs.Length; i++)
                {
                    Walk(step.Outputs[i].Value, $"{name}[{i}]", seen, problems);
                }
            }
        }

        Assert.True(problems.Count == 0, "Pipeline models hold compiler objects, which pin whole compilations in the cache and never compare equal:\n  " + string.Join("\n  ", problems));
    }

    /// <summary>Runs the driver once and checks the run is not vacuous: every step we assert on produced something.</summary>
    private static GeneratorDriver FirstRun(CSharpCompilation compilation)
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Equal(3, result.GeneratedSources.Length);
        foreach (string name in CachedSteps)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> steps), $"The first run has no step named {name}.");
            Assert.Contains(steps.SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.New);
        }

        return driver;
    }

    private static void AssertAllCached(GeneratorRunResult result)
    {
        var problems = new List<string>();
        foreach (string name in CachedSteps)
        {
            if (!result.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> steps) || steps.IsEmpty)
            {
                problems.Add($"{name}: step not run");
                continue;
            }

            foreach ((object value, IncrementalStepRunReason reason) in steps.SelectMany(s => s.Outputs))
            {
                if (reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                {
                    problems.Add($"{name}: {reason} output {value}");
                }
            }
        }

        Assert.True(problems.Count == 0, "An unrelated edit re-ran steps that should have been cached:\n  " + string.Join("\n  ", problems));
    }

    /// <summary>
    /// Fails on compiler objects anywhere in a model: values, collections, tuples, and the properties (declared
    /// types and values) of the generator's own model types. <see cref="InterceptableLocation"/> is equatable and allowed.
    /// </summary>
    private static void Walk(object? value, string path, HashSet<object> seen, List<string> problems)
    {
        if (value is null or string or InterceptableLocation || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Type type = value.GetType();
        if (IsCompilerObject(type))
        {
            problems.Add($"{path}: {type.FullName}");
            return;
        }

        if (!type.IsValueType && !seen.Add(value))
        {
            return;
        }

        if (value is ITuple tuple)
        {
            for (int i = 0; i < tuple.Length; i++)
            {
                Walk(tuple[i], $"{path}.Item{i + 1}", seen, problems);
            }

            return;
        }

        if (value is IEnumerable items)
        {
            // A default ImmutableArray<T> (IsDefault) throws when enumerated; it holds nothing anyway.
            if (type.GetProperty("IsDefault")?.GetValue(value) is not true)
            {
                int index = 0;
                foreach (object? item in items)
                {
                    Walk(item, $"{path}[{index++}]", seen, problems);
                }
            }

            if (type.Assembly != typeof(WorkerGenerator).Assembly)
            {
                return;
            }
        }

        if (type.Assembly != typeof(WorkerGenerator).Assembly)
        {
            problems.Add($"{path}: unexpected type {type.FullName} (models hold strings, numbers, records and EquatableArray)");
            return;
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            if (IsCompilerObject(property.PropertyType))
            {
                problems.Add($"{path}.{property.Name}: declared as {property.PropertyType.FullName}");
                continue;
            }

            Walk(property.GetValue(value), path + "." + property.Name, seen, problems);
        }
    }

    private static bool IsCompilerObject(Type type) => CompilerObjectTypes.Any(t => t.IsAssignableFrom(type));
}
