using ParallelGen.Analyzers;
using VerifyCS = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Workers.InvalidWorkerShapeAnalyzer>;

namespace ParallelGen.Analyzers.Tests.Workers;

public sealed class InvalidWorkerShapeAnalyzerTests
{
    [Fact]
    public Task Instance_worker_is_reported_with_the_reason() => VerifyCS.VerifyAsync(
        """
        using ParallelGen;

        public class Jobs
        {
            [Worker] public int {|#0:Square|}(int x) => x * x;
        }
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.InvalidWorkerShape).WithLocation(0)
            .WithArguments("Jobs.Square", "is an instance method (no worker process has an object to call it on; make it static)"));

    [Fact]
    public Task Generic_by_ref_pointer_and_inaccessible_workers_are_reported() => VerifyCS.VerifyAsync("""
        using ParallelGen;

        public static unsafe class Jobs
        {
            [Worker] public static T {|PG0003:Echo|}<T>(T x) => x;
            [Worker] public static void {|PG0003:Fill|}(ref int x) => x = 1;
            [Worker] public static void {|PG0003:Produce|}(out int x) => x = 1;
            [Worker] public static int {|PG0003:Read|}(in int x) => x;
            [Worker] public static int {|PG0003:Peek|}(int* p) => *p;
            [Worker] private static int {|PG0003:Hidden|}(int x) => x;
            [Worker] public static int {|PG0003:Many|}(int a, int b, int c, int d, int e, int f, int g, int h, int i) => a;

            private static class Inner
            {
                [Worker] public static int {|PG0003:Nested|}(int x) => x;
            }
        }

        public static class Box<T>
        {
            [Worker] public static int {|PG0003:InGeneric|}(int x) => x;
        }
        """);

    [Fact]
    public Task Static_public_and_internal_workers_are_not_reported() => VerifyCS.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using ParallelGen;

        public static class Jobs
        {
            [Worker] public static int Square(int x) => x * x;
            [Worker] internal static int Add(int a, int b) => a + b;
            [Worker] public static async Task<int> SlowAsync(int x, CancellationToken cancellationToken) { await Task.Delay(1, cancellationToken); return x; }
            [Worker] public static int Eight(int a, int b, int c, int d, int e, int f, int g, int h, CancellationToken cancellationToken) => a;

            internal static class Nested
            {
                [Worker] public static int Twice(int x) => 2 * x;
            }
        }

        public class Plain
        {
            public int NotAWorker(ref int x) => x;
        }
        """);
}
