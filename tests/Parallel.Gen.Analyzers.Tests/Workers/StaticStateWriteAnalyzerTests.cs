using ParallelGen.Analyzers;
using VerifyCS = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Workers.StaticStateWriteAnalyzer>;

namespace ParallelGen.Analyzers.Tests.Workers;

public sealed class StaticStateWriteAnalyzerTests
{
    [Fact]
    public Task Static_field_assignment_is_reported_with_worker_and_field() => VerifyCS.VerifyAsync(
        """
        using ParallelGen;

        public static class Jobs
        {
            private static int total;

            [Worker]
            public static int Add(int x)
            {
                {|#0:total|} += x;
                return x;
            }
        }
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.StaticStateWrite).WithLocation(0).WithArguments("Jobs.Add", "Jobs.total"));

    [Fact]
    public Task Every_kind_of_static_write_is_reported() => VerifyCS.VerifyAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using ParallelGen;

        public static class State
        {
            public static int Count;
            public static int Last { get; set; }
            public static readonly List<int> Seen = new();
            public static readonly Dictionary<int, int> Cache = new();
            public static readonly int[] Slots = new int[4];
        }

        public static class Jobs
        {
            [Worker]
            public static int Work(int x)
            {
                {|PG0008:State.Count|} = x;
                {|PG0008:State.Count|}++;
                {|PG0008:State.Last|} = x;
                Interlocked.Increment(ref {|PG0008:State.Count|});
                {|PG0008:State.Seen|}.Add(x);
                {|PG0008:State.Seen|}.Clear();
                {|PG0008:State.Cache[x]|} = x;
                {|PG0008:State.Slots[0]|} = x;
                ({|PG0008:State.Count|}, int y) = (1, 2);
                return y;
            }
        }
        """);

    [Fact]
    public Task Reads_locals_and_non_workers_are_not_reported() => VerifyCS.VerifyAsync("""
        using System.Collections.Generic;
        using ParallelGen;

        public static class Jobs
        {
            private static readonly Dictionary<int, int> Table = new() { [1] = 2 };
            private static int count;

            [Worker]
            public static int Work(int x)
            {
                var local = new List<int> { x };
                local.Add(Table[1] + count);
                bool has = Table.ContainsKey(x);
                System.Environment.ExitCode = 0;
                return local.Count + (has ? 1 : 0);
            }

            public static void NotAWorker() => count++;
        }
        """);

    [Fact]
    public Task A_worker_used_as_the_pools_initializer_may_set_per_process_state() => VerifyCS.VerifyAsync("""
        using ParallelGen;

        public static class Jobs
        {
            private static string? connection;
            private static int calls;

            [Worker]
            public static void Init(string name) => connection = name;

            [Worker]
            public static int Work(int x)
            {
                {|PG0008:calls|}++;
                return x + (connection?.Length ?? 0);
            }

            public static void Configure(ProcessPoolOptions options) => options.SetInitializer(Init, "db");
        }
        """);
}
