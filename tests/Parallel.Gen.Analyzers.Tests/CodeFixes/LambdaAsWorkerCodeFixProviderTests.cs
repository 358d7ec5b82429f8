using VerifyFix = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Workers.LambdaAsWorkerAnalyzer, ParallelGen.Analyzers.CodeFixes.Workers.LambdaAsWorkerCodeFixProvider>;

namespace ParallelGen.Analyzers.Tests.CodeFixes;

public sealed class LambdaAsWorkerCodeFixProviderTests
{
    [Fact]
    public Task Top_level_lambda_moves_into_static_partial_Program() => VerifyFix.VerifyProgramFixAsync(
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        int[] squares = pool.Map({|PG0001:x => x * x|}, new[] { 1, 2, 3 });
        """,
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        int[] squares = pool.Map(Work, new[] { 1, 2, 3 });

        static partial class Program
        {
            [Worker]
            public static int Work(int x) => x * x;
        }
        """);

    [Fact]
    public Task Top_level_local_function_moves_into_Program_and_keeps_its_name() => VerifyFix.VerifyProgramFixAsync(
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        long[] squares = pool.Map({|PG0001:Square|}, new[] { 1, 2, 3 });
        System.Console.WriteLine(Square(4));

        static long Square(int x)
        {
            return (long)x * x;
        }
        """,
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        long[] squares = pool.Map(Square, new[] { 1, 2, 3 });
        System.Console.WriteLine(Square(4));

        static partial class Program
        {
            [Worker]
            public static long Square(int x)
            {
                return (long)x * x;
            }
        }
        """);

    [Fact]
    public Task Worker_local_function_keeps_its_attribute() => VerifyFix.VerifyProgramFixAsync(
        """
        using ParallelGen;

        System.Console.WriteLine(Add(1, 2));

        [Worker]
        static int {|PG0001:Add|}(int a, int b) => a + b;
        """,
        """
        using ParallelGen;

        System.Console.WriteLine(Add(1, 2));

        static partial class Program
        {
            [Worker]
            public static int Add(int a, int b) => a + b;
        }
        """);

    [Fact]
    public Task Lambda_in_a_static_class_moves_next_to_its_method() => VerifyFix.VerifyFixAsync(
        """
        using System.Threading.Tasks;
        using ParallelGen;

        public static class Jobs
        {
            public static Task<string[]> RunAsync(ProcessPool pool, int[] xs) => pool.MapAsync({|PG0001:(int x) => x.ToString()|}, xs);

            public static int Other() => 1;
        }
        """,
        """
        using System.Threading.Tasks;
        using ParallelGen;

        public static class Jobs
        {
            public static Task<string[]> RunAsync(ProcessPool pool, int[] xs) => pool.MapAsync(Work, xs);

            [Worker]
            public static string Work(int x) => x.ToString();

            public static int Other() => 1;
        }
        """);

    [Fact]
    public Task Lambda_in_an_instance_class_moves_into_a_new_Workers_class() => VerifyFix.VerifyFixAsync(
        """
        using ParallelGen;

        namespace App
        {
            public sealed class Service
            {
                internal static int Offset = 1;

                public int[] Run(ProcessPool pool, int[] xs)
                {
                    return pool.Map({|PG0001:x =>
                    {
                        int y = x + Offset;
                        return y * y;
                    }|}, xs);
                }
            }
        }
        """,
        """
        using ParallelGen;

        namespace App
        {
            public sealed class Service
            {
                internal static int Offset = 1;

                public int[] Run(ProcessPool pool, int[] xs)
                {
                    return pool.Map(Workers.Work, xs);
                }
            }

            static class Workers
            {
                [Worker]
                public static int Work(int x)
                {
                    int y = x + Service.Offset;
                    return y * y;
                }
            }
        }
        """);

    // `delegate () { ... }` with its empty parameter list: `delegate { ... }` converts to any delegate type, so it would be
    // ambiguous (CS0121) between Apply(Func<TResult>) and Apply(Func<CancellationToken, TResult>).
    [Fact]
    public Task Fix_all_extracts_every_lambda_with_distinct_names() => VerifyFix.VerifyProgramFixAsync(
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        int[] a = pool.Map({|PG0001:x => x + 1|}, new[] { 1 });
        int[] b = pool.StarMap({|PG0001:(x, y) => x * y|}, new[] { (1, 2) });
        int c = pool.Apply({|PG0001:delegate () { return 7; }|});
        """,
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        int[] a = pool.Map(Work, new[] { 1 });
        int[] b = pool.StarMap(Work2, new[] { (1, 2) });
        int c = pool.Apply(Work3);

        static partial class Program
        {
            [Worker]
            public static int Work(int x) => x + 1;

            [Worker]
            public static int Work2(int x, int y) => x * y;

            [Worker]
            public static int Work3()
            {
                return 7;
            }
        }
        """);

    [Fact]
    public Task No_fix_for_lambdas_that_capture_or_for_delegate_values() => VerifyFix.VerifyNoFixAsync("""
        using System;
        using ParallelGen;

        public sealed class Service
        {
            private readonly int offset = 1;
            private static int Secret(int x) => x;

            public void Run(ProcessPool pool, int[] xs, Func<int, int> f)
            {
                int factor = 3;
                pool.Map({|PG0001:x => x * factor|}, xs);
                pool.Map({|PG0001:x => x + offset|}, xs);
                pool.Map({|PG0001:x => Secret(x)|}, xs);
                pool.Map({|PG0001:f|}, xs);
            }
        }
        """);
}
