using ParallelGen.Analyzers;
using VerifyCS = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Workers.LambdaAsWorkerAnalyzer>;

namespace ParallelGen.Analyzers.Tests.Workers;

public sealed class LambdaAsWorkerAnalyzerTests
{
    [Fact]
    public Task Lambda_passed_to_Map_is_reported_with_its_text() => VerifyCS.VerifyProgramAsync(
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        int[] squares = pool.Map({|#0:x => x * x|}, new[] { 1, 2, 3 });
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.LambdaAsWorker).WithLocation(0).WithArguments("Lambda 'x => x * x'"));

    [Fact]
    public Task Lambdas_and_anonymous_methods_are_reported_for_every_pool_method() => VerifyCS.VerifyAsync("""
        using System.Threading.Tasks;
        using ParallelGen;

        public static class Calls
        {
            public static async Task Run(ProcessPool pool, int[] xs, (int, int)[] pairs)
            {
                pool.Map({|PG0001:x => x + 1|}, xs);
                await pool.MapAsync({|PG0001:x => Task.FromResult(x)|}, xs);
                pool.StarMap({|PG0001:(a, b) => a + b|}, pairs);
                await pool.StarMapAsync({|PG0001:(int a, int b) => a * b|}, pairs);
                pool.Apply({|PG0001:delegate (int a) { return a; }|}, 1);
                await pool.ApplyAsync({|PG0001:() => 42|});
                await foreach (int r in pool.Imap({|PG0001:x => x|}, xs)) { }
                await foreach (int r in pool.ImapUnordered({|PG0001:static x => x|}, xs)) { }
            }
        }
        """);

    [Fact]
    public Task Lambdas_passed_to_WorkerProcess_Start_are_reported() => VerifyCS.VerifyAsync("""
        using ParallelGen;

        public static class Calls
        {
            public static void Run(SharedArray<int> result)
            {
                WorkerProcess.Start({|PG0001:() => { }|});
                WorkerProcess.Start({|PG0001:(SharedArray<int> a) => a[0] = 1|}, result);
                WorkerProcess.Start({|PG0001:(int x) => x * x|}, 7);
            }
        }
        """);

    [Fact]
    public Task Local_function_passed_as_worker_is_reported() => VerifyCS.VerifyProgramAsync("""
        using ParallelGen;

        using var pool = new ProcessPool(2);
        pool.Map({|PG0001:Square|}, new[] { 1, 2 });

        static int Square(int x) => x * x;
        """);

    [Fact]
    public Task Worker_attribute_on_a_top_level_static_function_is_reported() => VerifyCS.VerifyProgramAsync(
        """
        using ParallelGen;

        System.Console.WriteLine(Square(3));

        [Worker]
        static int {|#0:Square|}(int x) => x * x;
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.LambdaAsWorker).WithLocation(0)
            .WithArguments("Local function 'Square' (a static function among top-level statements is local to the generated Main)"));

    [Fact]
    public Task Delegate_value_passed_as_worker_is_reported() => VerifyCS.VerifyAsync("""
        using System;
        using ParallelGen;

        public static class Calls
        {
            public static int[] Run(ProcessPool pool, Func<int, int> f, int[] xs) => pool.Map({|PG0001:f|}, xs);
        }
        """);

    [Fact]
    public Task Worker_method_group_is_not_reported() => VerifyCS.VerifyProgramAsync("""
        using System.Linq;
        using ParallelGen;

        using var pool = new ProcessPool(2);
        pool.Map(Jobs.Square, new[] { 1, 2 });
        pool.Map(Jobs.Square, new[] { 1, 2 }.Select(x => x + 1));

        static class Jobs
        {
            [Worker] public static int Square(int x) => x * x;
        }
        """);

    [Fact]
    public Task Lambda_passed_to_Task_Run_is_not_reported() => VerifyCS.VerifyAsync("""
        using System.Threading.Tasks;

        public static class Calls
        {
            public static Task<int> Run() => Task.Run(() => 42);
        }
        """);

    [Fact]
    public Task User_type_with_its_own_Map_method_is_not_reported() => VerifyCS.VerifyAsync("""
        using System;
        using System.Linq;

        public sealed class Mapper
        {
            public int[] Map(Func<int, int> worker, int[] items) => items.Select(worker).ToArray();
            public int[] Apply(Func<int, int> worker, int[] items) => Map(worker, items);
        }

        public static class Calls
        {
            public static int[] Run(Mapper mapper) => mapper.Map(x => x * x, new[] { 1, 2 });
        }
        """);
}
