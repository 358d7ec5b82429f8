using System.Text.RegularExpressions;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>The interceptors generated for <c>WorkerProcess.Start</c>: any [Worker], void or not, sync or async, 0 to 8 arguments.</summary>
public sealed partial class ProcessStartInterceptorTests
{
    private const string Interceptors = "PoolInterceptors.g.cs";

    [Fact]
    public void EveryShapeOfWorkerIsStartedThroughATypedCore()
    {
        const string Source = """
            using System.Threading.Tasks;
            using ParallelGen;

            using var result = new SharedArray<int>(4);
            using var squareSum = new SharedValue<int>(0);
            WorkerProcess p = WorkerProcess.Start(S.SquareList, new[] { 1, 2, 3, 4 }, result, squareSum);
            p.Join();
            WorkerProcess<int> square = WorkerProcess.Start(S.Square, 7);
            WorkerProcess none = WorkerProcess.Start(S.Nothing);
            WorkerProcess<int> eight = WorkerProcess.Start(S.Sum8, 1, 2, 3, 4, 5, 6, 7, 8);
            WorkerProcess<string> later = WorkerProcess.Start(S.EchoAsync, "x");
            WorkerProcess pause = WorkerProcess.Start(S.PauseAsync, 5);
            System.Console.WriteLine(await square.Completion + await eight.Completion + await later.Completion);
            await none.Completion;
            await pause.Completion;

            static class S
            {
                [Worker]
                public static void SquareList(int[] xs, SharedArray<int> result, SharedValue<int> squareSum)
                {
                    for (int i = 0; i < xs.Length; i++)
                    {
                        result[i] = xs[i] * xs[i];
                    }

                    squareSum.Value = 30;
                }

                [Worker]
                public static int Square(int x) => x * x;

                [Worker]
                public static void Nothing()
                {
                }

                [Worker]
                public static int Sum8(int a, int b, int c, int d, int e, int f, int g, int h) => a + b + c + d + e + f + g + h;

                [Worker]
                public static async Task<string> EchoAsync(string text)
                {
                    await Task.Yield();
                    return text;
                }

                [Worker]
                public static Task PauseAsync(int milliseconds) => Task.Delay(milliseconds);
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        string interceptors = run.Source(Interceptors);
        Assert.Equal(6, InterceptsLocation().Count(interceptors));
        Assert.Contains("global::ParallelGen.WorkerProcess.StartCore<(int[], global::ParallelGen.SharedArray<int>, global::ParallelGen.SharedValue<int>), global::ParallelGen.Serialization.Unit,", interceptors, StringComparison.Ordinal);
        Assert.Contains("global::ParallelGen.SharedArrayCodec<int>", interceptors, StringComparison.Ordinal);
        Snapshot.Verify(run);
    }

    [Fact]
    public void StartWithoutAWorkerMethodGroupIsNotIntercepted()
    {
        // Process.Start, Task.Start and lambdas are none of the generator's business (the analyzers report lambdas).
        const string Source = """
            using System;
            using ParallelGen;

            var task = new System.Threading.Tasks.Task(() => { });
            task.Start();
            Action plain = W.Plain;
            try
            {
                WorkerProcess.Start(plain);
            }
            catch (InvalidOperationException)
            {
            }

            static class W
            {
                public static void Plain()
                {
                }
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.DoesNotContain(Interceptors, run.HintNames);
    }

    [GeneratedRegex(@"^\s*\[global::System\.Runtime\.CompilerServices\.InterceptsLocation\(", RegexOptions.Multiline)]
    private static partial Regex InterceptsLocation();
}
