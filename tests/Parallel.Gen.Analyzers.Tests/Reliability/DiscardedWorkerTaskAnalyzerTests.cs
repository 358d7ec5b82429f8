using ParallelGen.Analyzers;
using VerifyCS = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Reliability.DiscardedWorkerTaskAnalyzer>;

namespace ParallelGen.Analyzers.Tests.Reliability;

public sealed class DiscardedWorkerTaskAnalyzerTests
{
    private const string Jobs = """

        static class Jobs
        {
            [Worker] public static int Square(int x) => x * x;
            [Worker] public static int Add(int a, int b) => a + b;
        }
        """;

    [Fact]
    public Task Task_as_a_statement_is_reported_with_the_method() => VerifyCS.VerifyProgramAsync(
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        {|#0:pool.ApplyAsync(Jobs.Square, 3)|};
        """ + Jobs,
        VerifyCS.Diagnostic(DiagnosticDescriptors.DiscardedWorkerTask).WithLocation(0).WithArguments("ApplyAsync"));

    [Fact]
    public Task Statements_and_discards_of_every_async_call_are_reported() => VerifyCS.VerifyProgramAsync("""
        using ParallelGen;

        using var pool = new ProcessPool(2);
        {|PG0006:pool.MapAsync(Jobs.Square, new[] { 1, 2 })|};
        _ = {|PG0006:pool.StarMapAsync(Jobs.Add, new[] { (1, 2) })|};
        _ = {|PG0006:pool.ApplyAsync(Jobs.Add, 1, 2)|};
        """ + Jobs);

    [Fact]
    public Task Awaited_stored_returned_and_passed_tasks_are_not_reported() => VerifyCS.VerifyProgramAsync("""
        using System.Threading.Tasks;
        using ParallelGen;

        using var pool = new ProcessPool(2);
        await pool.ApplyAsync(Jobs.Square, 3);
        var pending = pool.MapAsync(Jobs.Square, new[] { 1 });
        await Task.WhenAll(pending, pool.ApplyAsync(Jobs.Add, 1, 2));
        Holder.Kept = pool.ApplyAsync(Jobs.Square, 4);
        await Holder.Kept;
        await Later(pool);
        pool.Map(Jobs.Square, new[] { 1 });
        Task.Delay(1);

        static Task<int> Later(ProcessPool pool) => pool.ApplyAsync(Jobs.Square, 5);

        static class Holder
        {
            public static Task<int>? Kept;
        }
        """ + Jobs);

    [Fact]
    public Task Discarded_task_of_a_user_MapAsync_is_not_reported() => VerifyCS.VerifyAsync("""
        using System;
        using System.Threading.Tasks;

        public sealed class Mapper
        {
            public Task<int[]> MapAsync(Func<int, int> worker, int[] items) => Task.FromResult(Array.ConvertAll(items, x => worker(x)));
        }

        public static class Calls
        {
            public static void Run(Mapper mapper) => _ = mapper.MapAsync(x => x, new[] { 1 });
        }
        """);
}
