using VerifyFix = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Reliability.DiscardedWorkerTaskAnalyzer, ParallelGen.Analyzers.CodeFixes.Reliability.DiscardedWorkerTaskCodeFixProvider>;

namespace ParallelGen.Analyzers.Tests.CodeFixes;

public sealed class DiscardedWorkerTaskCodeFixProviderTests
{
    [Fact]
    public Task Fix_all_awaits_discarded_tasks_in_top_level_statements() => VerifyFix.VerifyProgramFixAsync(
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        {|PG0006:pool.ApplyAsync(Jobs.Square, 3)|};
        _ = {|PG0006:pool.MapAsync(Jobs.Square, new[] { 1, 2 })|}; // fire and forget

        static class Jobs
        {
            [Worker] public static int Square(int x) => x * x;
        }
        """,
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        await pool.ApplyAsync(Jobs.Square, 3);
        await pool.MapAsync(Jobs.Square, new[] { 1, 2 }); // fire and forget

        static class Jobs
        {
            [Worker] public static int Square(int x) => x * x;
        }
        """);

    [Fact]
    public Task Awaits_in_async_methods_and_lambdas() => VerifyFix.VerifyFixAsync(
        """
        using System;
        using System.Threading.Tasks;
        using ParallelGen;

        public static class Jobs
        {
            [Worker] public static int Square(int x) => x * x;

            public static async Task RunAsync(ProcessPool pool)
            {
                {|PG0006:pool.ApplyAsync(Square, 1)|};
                Func<Task> later = async () =>
                {
                    {|PG0006:pool.ApplyAsync(Square, 2)|};
                };
                await later();
            }
        }
        """,
        """
        using System;
        using System.Threading.Tasks;
        using ParallelGen;

        public static class Jobs
        {
            [Worker] public static int Square(int x) => x * x;

            public static async Task RunAsync(ProcessPool pool)
            {
                await pool.ApplyAsync(Square, 1);
                Func<Task> later = async () =>
                {
                    await pool.ApplyAsync(Square, 2);
                };
                await later();
            }
        }
        """);

    [Fact]
    public Task Fix_all_keeps_tasks_in_fresh_locals_outside_async_code() => VerifyFix.VerifyFixAsync(
        """
        using ParallelGen;

        public static class Jobs
        {
            [Worker] public static int Square(int x) => x * x;

            public static void Run(ProcessPool pool)
            {
                {|PG0006:pool.ApplyAsync(Square, 1)|};
                _ = {|PG0006:pool.ApplyAsync(Square, 2)|};
            }
        }
        """,
        """
        using ParallelGen;

        public static class Jobs
        {
            [Worker] public static int Square(int x) => x * x;

            public static void Run(ProcessPool pool)
            {
                var task = pool.ApplyAsync(Square, 1);
                var task2 = pool.ApplyAsync(Square, 2);
            }
        }
        """);
}
