using VerifyFix = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Workers.InvalidWorkerShapeAnalyzer, ParallelGen.Analyzers.CodeFixes.Workers.InvalidWorkerShapeCodeFixProvider>;

namespace ParallelGen.Analyzers.Tests.CodeFixes;

public sealed class InvalidWorkerShapeCodeFixProviderTests
{
    [Fact]
    public Task Fix_all_makes_instance_workers_static() => VerifyFix.VerifyFixAsync(
        """
        using ParallelGen;

        public class Jobs
        {
            [Worker] public int {|PG0003:Square|}(int x) => x * x;

            [Worker]
            internal async System.Threading.Tasks.Task<int> {|PG0003:AddAsync|}(int a, int b)
            {
                await System.Threading.Tasks.Task.Yield();
                return a + b + Helper();
            }

            private static int Helper() => 0;
        }
        """,
        """
        using ParallelGen;

        public class Jobs
        {
            [Worker] public static int Square(int x) => x * x;

            [Worker]
            internal static async System.Threading.Tasks.Task<int> AddAsync(int a, int b)
            {
                await System.Threading.Tasks.Task.Yield();
                return a + b + Helper();
            }

            private static int Helper() => 0;
        }
        """);

    [Fact]
    public Task No_fix_when_static_is_not_all_it_takes() => VerifyFix.VerifyNoFixAsync("""
        using ParallelGen;

        public class Jobs
        {
            private int offset = 1;

            [Worker] public int {|PG0003:UsesState|}(int x) => x + offset;
            [Worker] public int {|PG0003:UsesThis|}(int x) => GetHashCode() + x;
            [Worker] public virtual int {|PG0003:Virtual|}(int x) => x;
            [Worker] public int {|PG0003:InstanceAndGeneric|}<T>(T x) => 0;
            [Worker] private static int {|PG0003:Hidden|}(int x) => x;
        }
        """);
}
