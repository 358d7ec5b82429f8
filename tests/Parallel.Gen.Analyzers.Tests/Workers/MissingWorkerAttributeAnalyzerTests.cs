using ParallelGen.Analyzers;
using VerifyCS = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Workers.MissingWorkerAttributeAnalyzer>;

namespace ParallelGen.Analyzers.Tests.Workers;

public sealed class MissingWorkerAttributeAnalyzerTests
{
    [Fact]
    public Task Method_group_without_Worker_is_reported_by_name() => VerifyCS.VerifyProgramAsync(
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        int[] squares = pool.Map({|#0:Jobs.Square|}, new[] { 1, 2 });

        static class Jobs
        {
            public static int Square(int x) => x * x;
        }
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.MissingWorkerAttribute).WithLocation(0).WithArguments("Jobs.Square"));

    [Fact]
    public Task Every_pool_method_is_checked() => VerifyCS.VerifyAsync("""
        using System.Threading.Tasks;
        using ParallelGen;

        public static class Jobs
        {
            public static int Inc(int x) => x + 1;
            public static int Add(int a, int b) => a + b;
            public static Task<int> IncAsync(int x) => Task.FromResult(x + 1);

            public static async Task Run(ProcessPool pool, int[] xs, (int, int)[] pairs)
            {
                pool.Map({|PG0002:Inc|}, xs);
                await pool.MapAsync({|PG0002:IncAsync|}, xs);
                pool.StarMap({|PG0002:Add|}, pairs);
                await pool.StarMapAsync({|PG0002:Jobs.Add|}, pairs);
                pool.Apply({|PG0002:Add|}, 1, 2);
                await pool.ApplyAsync({|PG0002:Inc|}, 1);
                await foreach (int r in pool.Imap({|PG0002:Inc|}, xs)) { }
            }
        }
        """);

    [Fact]
    public Task Worker_method_group_is_not_reported() => VerifyCS.VerifyAsync("""
        using ParallelGen;

        public static class Jobs
        {
            [Worker] public static int Inc(int x) => x + 1;

            public static int[] Run(ProcessPool pool, int[] xs) => pool.Map(Inc, xs);
        }
        """);

    [Fact]
    public Task Method_group_passed_to_a_user_Map_is_not_reported() => VerifyCS.VerifyAsync("""
        using System;
        using System.Linq;

        public static class Jobs
        {
            public static int Inc(int x) => x + 1;
            public static int[] Map(Func<int, int> worker, int[] items) => items.Select(worker).ToArray();
            public static int[] Run(int[] xs) => Map(Inc, xs.Select(Inc).ToArray());
        }
        """);
}
