using VerifyFix = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Lifecycle.PoolNotDisposedAnalyzer, ParallelGen.Analyzers.CodeFixes.Lifecycle.PoolNotDisposedCodeFixProvider>;

namespace ParallelGen.Analyzers.Tests.CodeFixes;

public sealed class PoolNotDisposedCodeFixProviderTests
{
    [Fact]
    public Task Adds_using_to_a_top_level_pool() => VerifyFix.VerifyProgramFixAsync(
        """
        using ParallelGen;

        // the pool
        var pool = {|PG0007:new ProcessPool(2)|};
        System.Console.WriteLine(pool.Processes);
        """,
        """
        using ParallelGen;

        // the pool
        using var pool = new ProcessPool(2);
        System.Console.WriteLine(pool.Processes);
        """);

    [Fact]
    public Task Fix_all_adds_using_to_every_pool() => VerifyFix.VerifyFixAsync(
        """
        using ParallelGen;

        public static class Calls
        {
            public static int Run()
            {
                var a = {|PG0007:new ProcessPool(1)|};
                ProcessPool b = {|PG0007:new(2)|};
                return a.Processes + b.Processes;
            }
        }
        """,
        """
        using ParallelGen;

        public static class Calls
        {
            public static int Run()
            {
                using var a = new ProcessPool(1);
                using ProcessPool b = new(2);
                return a.Processes + b.Processes;
            }
        }
        """);

    [Fact]
    public Task No_fix_where_a_using_declaration_would_not_compile() => VerifyFix.VerifyNoFixAsync("""
        using ParallelGen;

        public static class Calls
        {
            public static void Run(bool again)
            {
                var a = {|PG0007:new ProcessPool(1)|};
                if (again)
                {
                    a = {|PG0007:new ProcessPool(1)|};
                }

                {|PG0007:new ProcessPool(1)|};
            }
        }
        """);
}
