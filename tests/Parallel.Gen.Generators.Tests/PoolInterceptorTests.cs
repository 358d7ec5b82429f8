using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>The interceptors generated for pool calls that name a [Worker] method, and the calls left alone.</summary>
public sealed partial class PoolInterceptorTests
{
    private const string Interceptors = "PoolInterceptors.g.cs";

    [Fact]
    public void TopLevelProgramInterceptsEveryPoolMethod()
    {
        const string Source = """
            using System;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using ParallelGen;

            using var cts = new CancellationTokenSource();
            CancellationToken ct = cts.Token;
            using var pool = new ProcessPool(2);
            int[] xs = [1, 2, 3];

            long[] squares = pool.Map(W.Square, Enumerable.Range(0, 10));
            int[] sums = pool.StarMap(W.Add, new[] { (1, 2) });
            int[] sumsAsync = await pool.StarMapAsync(W.Add, new[] { (3, 4) }, cancellationToken: ct);
            int sum = pool.Apply(W.Add, 1, 2);
            int sumAsync = await pool.ApplyAsync(W.Add, 1, 2);
            long[] squaresAsync = await pool.MapAsync(W.Square, xs, chunkSize: 100, cancellationToken: ct);
            int[] fetched = await pool.MapAsync(W.FetchAsync, xs);
            await foreach (long square in pool.Imap(W.Square, xs))
            {
                Console.WriteLine(square);
            }

            await foreach (long square in pool.ImapUnordered(W.Square, xs, cancellationToken: ct))
            {
                Console.WriteLine(square);
            }

            Console.WriteLine(squares.Length + sums.Length + sumsAsync.Length + sum + sumAsync + squaresAsync.Length + fetched.Length);

            static class W
            {
                [Worker]
                public static long Square(int x) => (long)x * x;

                [Worker]
                public static int Add(int a, int b) => a + b;

                [Worker]
                public static async Task<int> FetchAsync(int x)
                {
                    await Task.Delay(1);
                    return x;
                }
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.Equal([Interceptors, "WorkerEntryPoint.g.cs", "WorkerTable_TestApp.g.cs"], run.HintNames);
        Assert.Equal(9, InterceptsLocation().Count(run.Source(Interceptors)));
        Snapshot.Verify(run);
    }

    [Fact]
    public void NamedGenericAndUsingStaticCallsAreIntercepted()
    {
        const string Source = """
            using ParallelGen;
            using static W;

            using var pool = new ProcessPool(2);
            long[] byName = pool.Map(items: new[] { 1 }, worker: W.Square);
            long[] explicitTypes = pool.Map<int, long>(Square, new[] { 1 });
            int difference = pool.Apply(arg2: 1, arg1: 2, worker: W.Subtract);
            System.Console.WriteLine(byName.Length + explicitTypes.Length + difference);

            static class W
            {
                [Worker]
                public static long Square(int x) => (long)x * x;

                [Worker]
                public static int Subtract(int a, int b) => a - b;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.Equal(3, InterceptsLocation().Count(run.Source(Interceptors)));
    }

    [Fact]
    public void NullableAnnotatedWorkersAreIntercepted()
    {
        // Interceptors are nullable-oblivious; with annotations on the user's side they must still match without warnings.
        const string Source = """
            using ParallelGen;

            using var pool = new ProcessPool(2);
            string?[] names = ["a", null];
            string?[] echoed = pool.Map(W.Echo, names);
            string[] upper = pool.Map(W.Upper, new[] { "a" });
            (string? Name, int Length)[] pairs = pool.Map(W.Pair, new[] { "a" });
            System.Console.WriteLine(echoed.Length + upper.Length + pairs.Length);

            static class W
            {
                [Worker]
                public static string? Echo(string? x) => x;

                [Worker]
                public static string Upper(string x) => x.ToUpperInvariant();

                [Worker]
                public static (string? Name, int Length) Pair(string x) => (x, x.Length);
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.Equal(3, InterceptsLocation().Count(run.Source(Interceptors)));
    }

    [Fact]
    public void ParameterlessWorkerIsAppliedWithUnitArguments()
    {
        const string Source = """
            using System;
            using ParallelGen;

            using var pool = new ProcessPool(2);
            Guid id = pool.Apply(W.NewId);
            Guid idAsync = await pool.ApplyAsync(W.NewId);
            Console.WriteLine(id == idAsync);

            static class W
            {
                [Worker]
                public static Guid NewId() => Guid.NewGuid();
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        string interceptors = run.Source(Interceptors);
        Assert.Equal(2, InterceptsLocation().Count(interceptors));
        Assert.Contains("(Worker_", interceptors, StringComparison.Ordinal);
        Assert.Contains(", default(global::ParallelGen.Serialization.Unit))", interceptors, StringComparison.Ordinal);
    }

    [Fact]
    public void MapMethodOfAnotherTypeIsNotIntercepted()
    {
        const string Source = """
            using System;
            using System.Collections.Generic;
            using ParallelGen;

            var mapper = new Mapper();
            int[] xs = [1, 2, 3];
            Console.WriteLine(mapper.Map(W.Twice, xs).Count);
            Console.WriteLine(mapper.Apply(W.Twice, 1));

            sealed class Mapper
            {
                public List<int> Map(Func<int, int> f, IEnumerable<int> items)
                {
                    var results = new List<int>();
                    foreach (int item in items)
                    {
                        results.Add(f(item));
                    }

                    return results;
                }

                public int Apply(Func<int, int> f, int x) => f(x);
            }

            static class W
            {
                [Worker]
                public static int Twice(int x) => 2 * x;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.DoesNotContain(Interceptors, run.HintNames);
        Assert.Contains("WorkerTable_TestApp.g.cs", run.HintNames);
    }

    [Fact]
    public void PoolCallsWithoutAWorkerMethodGroupAreNotIntercepted()
    {
        // Lambdas, delegate variables and methods without [Worker] have no entry point in a worker process:
        // the analyzers report them; the generator must only leave them alone.
        const string Source = """
            using System;
            using ParallelGen;

            using var pool = new ProcessPool(2);
            int[] xs = [1, 2, 3];
            int[] doubled = pool.Map(x => x * 2, xs);
            long[] viaLambda = pool.Map(x => W.Square(x), xs);
            Func<int, long> square = W.Square;
            long[] viaVariable = pool.Map(square, xs);
            long[] notAWorker = pool.Map(Plain.Square, xs);
            int sum = pool.Apply((a, b) => a + b, 1, 2);
            Console.WriteLine(doubled.Length + viaLambda.Length + viaVariable.Length + notAWorker.Length + sum);

            static class W
            {
                [Worker]
                public static long Square(int x) => (long)x * x;
            }

            static class Plain
            {
                public static long Square(int x) => (long)x * x;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.DoesNotContain(Interceptors, run.HintNames);
        Assert.Contains("WorkerTable_TestApp.g.cs", run.HintNames);
    }

    [Fact]
    public void ConditionalAccessCallsAreIntercepted()
    {
        const string Source = """
            using ParallelGen;

            ProcessPool? pool = new ProcessPool(2);
            long[]? squares = pool?.Map(W.Square, new[] { 1, 2 });
            System.Console.WriteLine(squares?.Length);
            pool?.Dispose();

            static class W
            {
                [Worker]
                public static long Square(int x) => (long)x * x;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.Equal(1, InterceptsLocation().Count(run.Source(Interceptors)));
    }

    [Fact]
    public void WorkersNamedLikeKeywordsAreEscaped()
    {
        const string Source = """
            using ParallelGen;

            using var pool = new ProcessPool(2);
            System.Console.WriteLine(pool.Apply(W.@checked, 3));

            static class W
            {
                [Worker]
                public static long @checked(int x) => x;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.Contains("global::W.@checked(args)", run.Source("WorkerTable_TestApp.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void WorkersInFileLocalTypesAreLeftToTheAnalyzers()
    {
        const string Source = """
            using ParallelGen;

            using var pool = new ProcessPool(2);
            System.Console.WriteLine(pool.Apply(W.Square, 3));

            file static class W
            {
                [Worker]
                public static long Square(int x) => x;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.DoesNotContain(Interceptors, run.HintNames);
        Assert.DoesNotContain("Square", run.Source("WorkerTable_TestApp.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void NoInterceptorsWithoutTheInterceptorsNamespaceSoPG0009CanExplain()
    {
        const string Source = """
            using ParallelGen;

            using var pool = new ProcessPool(2);
            System.Console.WriteLine(pool.Apply(W.Square, 3));

            static class W
            {
                [Worker]
                public static long Square(int x) => x;
            }
            """;
        var options = GeneratorHarness.ParseOptions.WithFeatures([]);
        var compilation = GeneratorHarness.CreateCompilation(Source);
        compilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees[0], compilation.SyntaxTrees[0].WithRootAndOptions(compilation.SyntaxTrees[0].GetRoot(TestContext.Current.CancellationToken), options));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new WorkerGenerator().AsSourceGenerator()], parseOptions: options)
            .RunGenerators(compilation, TestContext.Current.CancellationToken);

        string[] hints = [.. driver.GetRunResult().GeneratedTrees.Select(t => Path.GetFileName(t.FilePath))];
        Assert.DoesNotContain(Interceptors, hints);
        Assert.Contains("WorkerTable_TestApp.g.cs", hints);
    }

    [GeneratedRegex(@"^\s*\[global::System\.Runtime\.CompilerServices\.InterceptsLocation\(", RegexOptions.Multiline)]
    private static partial Regex InterceptsLocation();
}
