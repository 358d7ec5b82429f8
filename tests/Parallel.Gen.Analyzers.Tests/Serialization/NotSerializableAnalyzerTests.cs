using ParallelGen.Analyzers;
using VerifyCS = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Serialization.NotSerializableAnalyzer>;

namespace ParallelGen.Analyzers.Tests.Serialization;

public sealed class NotSerializableAnalyzerTests
{
    [Fact]
    public Task Stream_parameter_is_reported_on_the_signature_with_the_reason() => VerifyCS.VerifyAsync(
        """
        using System.IO;
        using ParallelGen;

        public static class Jobs
        {
            [Worker] public static int Length({|#0:Stream|} data) => (int)data.Length;
        }
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.NotSerializable).WithLocation(0)
            .WithArguments("Parameter 'data'", "Jobs.Length", "data: Stream (a stream wraps a handle of this process; pass its bytes)"));

    [Fact]
    public Task Member_path_names_where_in_the_type_it_fails() => VerifyCS.VerifyAsync(
        """
        using System;
        using System.Collections.Generic;
        using ParallelGen;

        public static class Jobs
        {
            [Worker] public static int Count({|#0:List<(int Id, Func<int> Callback)>|} lines) => lines.Count;
        }
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.NotSerializable).WithLocation(0)
            .WithArguments("Parameter 'lines'", "Jobs.Count", "lines[].Callback: Func<int> (a delegate is code bound to this process; pass a [Worker] method's data instead)"));

    [Fact]
    public Task Unsupported_results_are_reported_on_the_return_type() => VerifyCS.VerifyAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using ParallelGen;

        public static class Jobs
        {
            [Worker] public static {|PG0004:Stream|} Open(string path) => File.OpenRead(path);
            [Worker] public static {|PG0004:Task<Thread>|} CurrentAsync() => Task.FromResult(Thread.CurrentThread);
            [Worker] public static {|PG0004:IntPtr|} Handle() => IntPtr.Zero;
            [Worker] public static {|PG0004:Task<Task<int>>|} Nested() => Task.FromResult(Task.FromResult(1));
            [Worker] public static int Pool({|PG0004:ProcessPool|} pool) => pool.Processes;
        }
        """);

    [Fact]
    public Task Supported_types_and_cancellation_tokens_are_not_reported() => VerifyCS.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using ParallelGen;

        public enum Color { Red, Green }

        public static class Jobs
        {
            [Worker] public static (int Primes, long Sum) Stats(int[] values, List<string> names, Color color, Guid id, DateTime at, decimal? price) => (0, 0);
            [Worker] public static async Task<double[]> ScaleAsync(double[] values, CancellationToken cancellationToken) { await Task.Yield(); return values; }
            [Worker] public static ValueTask<string> EchoAsync(string text) => new(text);
            [Worker] public static void Nothing() { }
            [Worker] public static Task NothingAsync() => Task.CompletedTask;
            public static Func<int> NotAWorker(Func<int> f) => f;
        }
        """);
}
