using ParallelGen.Analyzers;
using VerifyCS = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Lifecycle.PoolNotDisposedAnalyzer>;

namespace ParallelGen.Analyzers.Tests.Lifecycle;

public sealed class PoolNotDisposedAnalyzerTests
{
    [Fact]
    public Task Local_pool_never_disposed_is_reported() => VerifyCS.VerifyProgramAsync("""
        using ParallelGen;

        var pool = {|PG0007:new ProcessPool(2)|};
        System.Console.WriteLine(pool.Processes);
        """);

    [Fact]
    public Task Discarded_receiver_only_and_closed_but_undisposed_pools_are_reported() => VerifyCS.VerifyAsync("""
        using ParallelGen;

        public static class Calls
        {
            public static int Run()
            {
                {|PG0007:new ProcessPool(1)|};
                int n = {|PG0007:new ProcessPool(1)|}.Processes;
                ProcessPool later;
                later = {|PG0007:new ProcessPool(1)|};
                later.Close();
                later.Join();
                return n;
            }
        }
        """);

    [Fact]
    public Task Using_declarations_statements_and_Dispose_calls_are_not_reported() => VerifyCS.VerifyAsync("""
        using System.Threading.Tasks;
        using ParallelGen;

        public static class Calls
        {
            public static async Task Run(bool early)
            {
                using var a = new ProcessPool(1);
                using (var b = new ProcessPool(1)) { }
                await using var c = new ProcessPool(1);
                var d = new ProcessPool(1);
                using (d) { }
                var e = new ProcessPool(1);
                try { } finally { e.Dispose(); }
                var f = new ProcessPool(1);
                if (early) { await f.DisposeAsync(); }
                ProcessPool? g = new ProcessPool(1);
                g?.Dispose();
            }
        }
        """);

    [Fact]
    public Task Pools_that_leave_the_method_are_not_reported() => VerifyCS.VerifyAsync("""
        using System.Collections.Generic;
        using ParallelGen;

        public sealed class Owner
        {
            private ProcessPool? pool;
            private readonly List<ProcessPool> pools = new();

            public static ProcessPool Create() => new ProcessPool(1);

            public static ProcessPool CreateLocal()
            {
                var p = new ProcessPool(1);
                return p;
            }

            public void Keep()
            {
                pool = new ProcessPool(1);
                var q = new ProcessPool(1);
                pools.Add(q);
                var r = new ProcessPool(1);
                pool = r;
                Take(new ProcessPool(1));
            }

            private static void Take(ProcessPool p) => p.Dispose();
        }
        """);
}
