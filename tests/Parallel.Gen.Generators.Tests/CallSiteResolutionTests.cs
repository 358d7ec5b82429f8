using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ParallelGen.Generators.Models;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>
/// Call sites resolved from syntax and the worker models (no binding) must be exactly what binding the call gives; calls
/// syntax can't decide must be left to binding. Each test compares the two paths call by call.
/// </summary>
public sealed class CallSiteResolutionTests
{
    [Fact]
    public void EveryPoolMethodOnAPlainlyDeclaredPoolIsResolvedFromSyntaxAsBindingWould()
    {
        const string Source = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using ParallelGen;

            namespace App;

            public sealed record Order(int Id, string Name);

            public static class Jobs
            {
                [Worker] public static long Square(int x) => (long)x * x;
                [Worker] public static int Add(int a, int b) => a + b;
                [Worker] public static string Describe(Order order) => order.Name;
                [Worker] public static async Task<int> FetchAsync(int x) { await Task.Yield(); return x; }
                [Worker] public static ValueTask<long> LaterAsync(long x) => new(x);
                [Worker] public static Task PauseAsync(int ms) => Task.Delay(ms);
                [Worker] public static void Touch(int x) { }
                [Worker] public static long WithToken(int x, CancellationToken cancellationToken) => x;
                [Worker] public static int Sum3(int a, int b, int c) => a + b + c;
                [Worker] public static int[] Arrays(int[] xs) => xs;
                [Worker] public static void Init(string name) { }
            }

            public sealed class Runner(ProcessPool injected)
            {
                private readonly WorkerPool _pool = injected;
                private ParallelGen.ProcessPool Pool { get; } = injected;

                public async Task Run(ProcessPool pool, IEnumerable<int> xs, List<Order> orders, CancellationToken ct)
                {
                    var local = new ProcessPool(2);
                    ProcessPool? maybe = null;
                    long[] a = pool.Map(Jobs.Square, xs);
                    long[] b = await pool.MapAsync(Jobs.Square, xs);
                    int[] c = pool.StarMap(Jobs.Add, new[] { (1, 2) });
                    int d = pool.Apply(Jobs.Add, 1, 2);
                    int e = await pool.ApplyAsync(App.Jobs.Add, 1, 2);
                    string[] f = _pool.Map(Jobs.Describe, orders);
                    int[] g = await this.Pool.MapAsync(Jobs.FetchAsync, xs);
                    long h = local.Apply(Jobs.LaterAsync, 5L);
                    await pool.ApplyAsync(Jobs.PauseAsync, 3);
                    long[] i = pool.Map(Jobs.WithToken, xs);
                    long j = await pool.ApplyAsync(Jobs.WithToken, 1, ct);
                    int k = pool.Apply(Jobs.Sum3, 1, 2, 3);
                    int[][] l = injected.Map(Jobs.Arrays, new[] { new[] { 1 } });
                    long[]? m = maybe?.Map(global::App.Jobs.Square, xs);
                    await foreach (long n in pool.Imap(Jobs.Square, xs)) { }
                    await foreach (int o in pool.ImapUnordered(Jobs.FetchAsync, xs, 4)) { }
                    var options = new ProcessPoolOptions();
                    options.SetInitializer(Jobs.Init, "x");
                    WorkerProcess<int> p = WorkerProcess.Start(Jobs.Add, 1, 2);
                    WorkerProcess q = ParallelGen.WorkerProcess.Start(Jobs.Touch, 1);
                    System.Console.WriteLine(a.Length + b.Length + c.Length + d + e + f.Length + g.Length + h + i.Length + j + k + l.Length + m!.Length);
                }
            }
            """;

        (int resolved, int bound) = CompareBothPaths(Source, OutputKind.DynamicallyLinkedLibrary);

        Assert.Equal(19, bound);
        Assert.Equal(19, resolved);
    }

    [Fact]
    public void CallsSyntaxCantDecideAreLeftToBinding()
    {
        const string Source = """
            using System;
            using System.Collections.Generic;
            using ParallelGen;

            public sealed class Mapper
            {
                public List<int> Map(Func<int, int> f, IEnumerable<int> items) => new();
            }

            public static class W
            {
                [Worker] public static int Twice(int x) => 2 * x;
                [Worker] public static int Over(int x) => x;
                public static long Over(long x) => x;
                [Worker] public static int Open(IReadOnlyList<int> xs) => xs.Count;
                [Worker] public static int Boxed(object x) => 1;
                [Worker] public static int Pair((int A, int B) p) => p.A;
            }

            public sealed class Twins
            {
                public int Twice(int x) => x;
            }

            public sealed class WorkerClassHiddenByAField
            {
                private readonly Twins W = new();

                public void Run(ProcessPool pool) => pool.Map(W.Twice, new[] { 1 });
            }

            public sealed class Shadowed
            {
                private readonly ProcessPool pool = new(1);

                public void Run(object o)
                {
                    if (o is Mapper pool)
                    {
                        pool.Map(W.Twice, new[] { 1 });
                    }

                    System.Console.WriteLine(this.pool);
                }
            }

            public static class Calls
            {
                public static void Run(ProcessPool pool, Mapper mapper, Func<ProcessPool> make, int[][] arrays, long[] longs)
                {
                    mapper.Map(W.Twice, new[] { 1 });
                    pool.Map(W.Over, longs);
                    pool.Map(W.Open, arrays);
                    pool.Map(W.Boxed, new[] { "s" });
                    pool.Map(W.Pair, new[] { (1, 2) });
                    pool.Map(items: new[] { 1 }, worker: W.Twice);
                    make().Map(W.Twice, new[] { 1 });
                    Func<int, int> lambda = x => pool.Apply(W.Twice, x);
                }

                // A value named like the worker class: C# picks the value, so W.Twice is Twins.Twice, not the worker.
                public static void Hidden(ProcessPool pool, Twins W) => pool.Map(W.Twice, new[] { 1 });
            }
            """;

        (int resolved, int bound) = CompareBothPaths(Source, OutputKind.DynamicallyLinkedLibrary);

        Assert.Equal(0, resolved);
        Assert.Equal(6, bound);
    }

    /// <summary>
    /// A value named like the worker class hides it however its declaration is spelled: a <c>\u</c> escape or a Unicode
    /// formatting character (which C# drops from the name) makes the name's text differ from the name, and a top-level
    /// statement may declare it in another statement than the call's. Each of those calls is Twins.Twice, not the worker.
    /// </summary>
    [Fact]
    public void AValueNamedLikeTheWorkerClassIsFoundHoweverItIsWritten()
    {
        const string Source = """
            using System.Collections.Generic;
            using ParallelGen;

            var G = new Twins();
            using var pool = new ProcessPool(1);
            pool.Map(G.Twice, new[] { 1 });

            public static class G
            {
                [Worker] public static int Twice(int x) => 2 * x;
            }

            public static class Work
            {
                [Worker] public static int Twice(int x) => 2 * x;
            }

            public sealed class Twins
            {
                public int Twice(int x) => x;
            }

            public static class Calls
            {
                public static int[] Escaped(ProcessPool pool)
                {
                    var \u0057ork = new Twins();
                    return pool.Map(Work.Twice, new[] { 1 });
                }

                public static int[] Formatted(ProcessPool pool)
                {
                    var Wo\u200Brk = new Twins();
                    return pool.Map(Work.Twice, new[] { 1 });
                }

                public static int[] Plain(ProcessPool pool) => pool.Map(Work.Twice, new[] { 1 });
            }
            """;

        (int resolved, int bound) = CompareBothPaths(Source.Replace("Wo\\u200Brk", "Wo\u200Brk", StringComparison.Ordinal), OutputKind.ConsoleApplication);

        // Only Plain names the worker; syntax resolves it, and binding agrees call by call (CompareBothPaths).
        Assert.Equal(1, resolved);
        Assert.Equal(1, bound);
    }

    [Fact]
    public void AUserTypeNamedLikeThePoolSendsEveryCallToBinding()
    {
        const string Source = """
            using System;
            using System.Collections.Generic;
            using ParallelGen;

            namespace Mine
            {
                public sealed class ProcessPool
                {
                    public int[] Map(Func<int, int> f, IEnumerable<int> items) => [];
                }

                public static class W
                {
                    [Worker] public static int Twice(int x) => 2 * x;

                    public static int[] Run(ProcessPool pool) => pool.Map(W.Twice, new[] { 1 });
                }
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source, OutputKind.DynamicallyLinkedLibrary));

        Assert.DoesNotContain("PoolInterceptors.g.cs", run.HintNames);
    }

    /// <summary>
    /// For every pool call in <paramref name="source"/>: the syntax-resolved model, where there is one, equals the bound one.
    /// Returns how many calls syntax resolved and how many binding intercepts.
    /// </summary>
    private static (int Resolved, int Bound) CompareBothPaths(string source, OutputKind kind)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source, kind);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SemanticModel model = compilation.GetSemanticModel(tree);
        CancellationToken ct = TestContext.Current.CancellationToken;
        Assert.Empty(compilation.GetDiagnostics(ct).Where(d => d.Severity == DiagnosticSeverity.Error));

        ImmutableArray<WorkerSpec> workers = tree.GetRoot(ct).DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Select(m => model.GetDeclaredSymbol(m, ct))
            .OfType<IMethodSymbol>()
            .Where(WireTypeRules.HasWorkerAttribute)
            .Select(WorkerGenerator.Parser.ParseWorker)
            .OfType<WorkerSpec>()
            .ToImmutableArray();
        List<InvocationExpressionSyntax> calls = tree.GetRoot(ct).DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(WorkerGenerator.Parser.IsCandidateCall)
            .ToList();
        ImmutableArray<CallSiteCandidate> candidates = calls.Select(c => WorkerGenerator.CallSites.Parse(model, c, ct)!).ToImmutableArray();
        List<CallSiteSpec?> fromSyntax = WorkerGenerator.CallSites.FromSyntaxOnly(candidates, workers, compilation);

        int resolved = 0, bound = 0;
        for (int i = 0; i < calls.Count; i++)
        {
            CallSiteSpec? viaBinding = WorkerGenerator.Parser.ParseCallSite(model, calls[i], ct);
            bound += viaBinding is null ? 0 : 1;
            if (fromSyntax[i] is { } viaSyntax)
            {
                resolved++;
                Assert.True(viaSyntax == viaBinding, $"{calls[i]}: from syntax {Describe(viaSyntax)}\n  but bound {Describe(viaBinding)}");
            }
        }

        return (resolved, bound);
    }

    private static string Describe(CallSiteSpec? site) => site is null
        ? "nothing"
        : $"{site.PoolMethod} {site.ReturnType} ({site.WorkerParameterType}; {string.Join(", ", site.Parameters.Select(p => p.Type + " " + p.Name + (p.IsWorkerArgument ? "*" : "")))}) on {site.ReceiverType}";

    /// <summary>The hand-written scan replaces exactly what the regular expression it replaced did: whole unqualified identifiers.</summary>
    [Theory]
    [InlineData("global::System.Func<TArg, TResult>", "global::System.Func<int, long>")]
    [InlineData("TArg[]", "int[]")]
    [InlineData("(TArg, TArg2)", "(int, string)")]
    [InlineData("global::System.Collections.Generic.IEnumerable<(TArg, TArg2)>", "global::System.Collections.Generic.IEnumerable<(int, string)>")]
    [InlineData("global::ParallelGen.TArg", "global::ParallelGen.TArg")]
    [InlineData("global::TArg", "global::TArg")]
    [InlineData("@TArg", "@TArg")]
    [InlineData("TArgs", "TArgs")]
    [InlineData("_TArg", "_TArg")]
    [InlineData("global::System.Threading.Tasks.Task<TResult>", "global::System.Threading.Tasks.Task<long>")]
    [InlineData("", "")]
    public void TypeParametersAreSubstitutedAsWholeUnqualifiedNames(string text, string expected)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal) { ["TArg"] = "int", ["TArg2"] = "string", ["TResult"] = "long" };
        var oldRule = new System.Text.RegularExpressions.Regex(@"(?<![\w.:@])[A-Za-z_]\w*(?!\w)");

        Assert.Equal(expected, WorkerGenerator.CallSites.Substitute(text, types));
        Assert.Equal(oldRule.Replace(text, m => types.TryGetValue(m.Value, out string? type) ? type : m.Value), expected);
    }
}
