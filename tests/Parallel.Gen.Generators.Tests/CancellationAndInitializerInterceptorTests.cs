using System.Text.RegularExpressions;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>Interceptors for workers that take a trailing CancellationToken, and for ProcessPoolOptions.SetInitializer.</summary>
public sealed partial class CancellationAndInitializerInterceptorTests
{
    private const string Interceptors = "PoolInterceptors.g.cs";

    [Fact]
    public void TokenTakingWorkersAreInterceptedForEveryPoolMethod()
    {
        const string Source = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using ParallelGen;

            using var cts = new CancellationTokenSource();
            CancellationToken ct = cts.Token;
            using var pool = new ProcessPool(2);
            int[] xs = [1, 2, 3];

            long[] a = pool.Map(W.Square, xs);
            long[] b = await pool.MapAsync(W.Square, xs, cancellationToken: ct);
            int[] c = pool.StarMap(W.Add, new[] { (1, 2) });
            int[] d = await pool.StarMapAsync(W.Add, new[] { (1, 2) }, cancellationToken: ct);
            long e = pool.Apply(W.Square, 3);
            long f = await pool.ApplyAsync(W.Square, 3, ct);
            int g = await pool.ApplyAsync(W.Tick, ct);
            await foreach (int h in pool.Imap(W.SlowAsync, xs, cancellationToken: ct))
            {
                Console.WriteLine(h);
            }

            await foreach (int i in pool.ImapUnordered(W.SlowAsync, xs, chunkSize: 1, cancellationToken: ct))
            {
                Console.WriteLine(i);
            }

            Console.WriteLine(a.Length + b.Length + c.Length + d.Length + e + f + g);

            static class W
            {
                [Worker]
                public static long Square(int x, CancellationToken cancellationToken) => (long)x * x;

                [Worker]
                public static int Add(int a, int b, CancellationToken cancellationToken) => a + b;

                [Worker]
                public static async ValueTask<int> Tick(CancellationToken cancellationToken)
                {
                    await Task.Delay(1, cancellationToken);
                    return 1;
                }

                [Worker]
                public static async Task<int> SlowAsync(int x, CancellationToken cancellationToken)
                {
                    await Task.Delay(x, cancellationToken);
                    return x;
                }
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.Equal(9, InterceptsLocation().Count(run.Source(Interceptors)));
        Snapshot.Verify(run);
    }

    [Fact]
    public void SetInitializerIsInterceptedOnTheOptions()
    {
        const string Source = """
            using System.Threading.Tasks;
            using ParallelGen;

            var options = new ProcessPoolOptions { Processes = 2 };
            options.SetInitializer(W.Init, "config.json", 3);
            options.SetInitializer(W.InitAsync);
            options?.SetInitializer(W.InitOne, 1.5);
            using var pool = new ProcessPool(options!);

            static class W
            {
                [Worker]
                public static void Init(string path, int level) { }

                [Worker]
                public static void InitOne(double x) { }

                [Worker]
                public static async Task InitAsync() => await Task.Yield();
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        string interceptors = run.Source(Interceptors);
        Assert.Equal(3, InterceptsLocation().Count(interceptors));
        Assert.Contains("this global::ParallelGen.ProcessPoolOptions options", interceptors, StringComparison.Ordinal);
        Snapshot.Verify(run);
    }

    [Fact]
    public void TokensPassedAsOrdinaryArgumentsAreLeftAlone()
    {
        // Without a token-taking overload to bind to, C# binds the token to a generic argument (T2 = CancellationToken),
        // which the wire can't carry: the generator leaves such calls to the analyzers rather than emit broken code.
        const string Source = """
            using System.Threading;
            using ParallelGen;

            using var pool = new ProcessPool(2);
            CancellationToken ct = CancellationToken.None;
            int a = pool.Apply(W.Slow, 1, ct);
            int[] b = pool.StarMap(W.Slow, new[] { (1, ct) });
            int c = pool.Apply(W.TokenFirst, ct, 1);
            System.Console.WriteLine(a + b.Length + c);

            static class W
            {
                [Worker]
                public static int Slow(int x, CancellationToken cancellationToken) => x;

                [Worker]
                public static int TokenFirst(CancellationToken cancellationToken, int x) => x;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.DoesNotContain(Interceptors, run.HintNames);
    }

    [GeneratedRegex(@"^\s*\[global::System\.Runtime\.CompilerServices\.InterceptsLocation\(", RegexOptions.Multiline)]
    private static partial Regex InterceptsLocation();
}
