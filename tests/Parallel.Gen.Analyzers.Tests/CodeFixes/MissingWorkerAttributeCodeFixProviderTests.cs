using ParallelGen.Analyzers.CodeFixes.Workers;
using ParallelGen.Analyzers.Workers;
using VerifyFix = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Workers.MissingWorkerAttributeAnalyzer, ParallelGen.Analyzers.CodeFixes.Workers.MissingWorkerAttributeCodeFixProvider>;

namespace ParallelGen.Analyzers.Tests.CodeFixes;

public sealed class MissingWorkerAttributeCodeFixProviderTests
{
    [Fact]
    public Task Adds_Worker_to_the_method() => VerifyFix.VerifyProgramFixAsync(
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        int[] squares = pool.Map({|PG0002:Jobs.Square|}, new[] { 1, 2 });

        static class Jobs
        {
            /// <summary>Squares.</summary>
            public static int Square(int x) => x * x;
        }
        """,
        """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        int[] squares = pool.Map(Jobs.Square, new[] { 1, 2 });

        static class Jobs
        {
            /// <summary>Squares.</summary>
            [Worker]
            public static int Square(int x) => x * x;
        }
        """);

    [Fact]
    public Task Adds_using_ParallelGen_where_Worker_is_not_in_scope() => VerifyFix.VerifyFixAsync(
        """
        using System.Linq;

        namespace App
        {
            public static class Jobs
            {
                public static int Square(int x) => x * x;

                public static int[] Run(global::ParallelGen.ProcessPool pool) => pool.Map({|PG0002:Square|}, Enumerable.Range(0, 3));
            }
        }
        """,
        """
        using System.Linq;
        using ParallelGen;

        namespace App
        {
            public static class Jobs
            {
                [Worker]
                public static int Square(int x) => x * x;

                public static int[] Run(global::ParallelGen.ProcessPool pool) => pool.Map(Square, Enumerable.Range(0, 3));
            }
        }
        """);

    [Fact]
    public Task Fix_all_adds_one_attribute_per_method() => VerifyFix.VerifyFixAsync(
        """
        using ParallelGen;

        public static class Jobs
        {
            public static int Square(int x) => x * x;

            [System.Obsolete("old")]
            public static int Add(int a, int b) => a + b;

            public static void Run(ProcessPool pool)
            {
                pool.Map({|PG0002:Square|}, new[] { 1 });
                pool.Map({|PG0002:Square|}, new[] { 2 });
                pool.Apply({|PG0002:Add|}, 1, 2);
            }
        }
        """,
        """
        using ParallelGen;

        public static class Jobs
        {
            [Worker]
            public static int Square(int x) => x * x;

            [System.Obsolete("old")]
            [Worker]
            public static int Add(int a, int b) => a + b;

            public static void Run(ProcessPool pool)
            {
                pool.Map(Square, new[] { 1 });
                pool.Map(Square, new[] { 2 });
                pool.Apply(Add, 1, 2);
            }
        }
        """);
}
