using ParallelGen.Analyzers;
using VerifyCS = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Lifecycle.PoolCreatedInWorkerContextAnalyzer>;

namespace ParallelGen.Analyzers.Tests.Lifecycle;

public sealed class PoolCreatedInWorkerContextAnalyzerTests
{
    [Fact]
    public Task Pool_in_a_static_field_initializer_is_reported_with_where() => VerifyCS.VerifyAsync(
        """
        using ParallelGen;

        public static class Pools
        {
            public static readonly ProcessPool Shared = {|#0:new ProcessPool(2)|};
        }
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.PoolCreatedInWorkerContext).WithLocation(0)
            .WithArguments("ProcessPool", "the initializer of static field 'Pools.Shared', which every worker process runs too (each would start processes of its own)"));

    [Fact]
    public Task Pool_in_static_constructor_module_initializer_worker_and_static_property_is_reported() => VerifyCS.VerifyAsync("""
        using System.Runtime.CompilerServices;
        using ParallelGen;

        public static class Pools
        {
            private static readonly ProcessPool Shared;
            public static ProcessPool Other { get; } = {|PG0005:new ProcessPool()|};

            static Pools()
            {
                Shared = {|PG0005:new ProcessPool(2)|};
            }

            [ModuleInitializer]
            internal static void Init()
            {
                using var pool = {|PG0005:new ProcessPool(new ProcessPoolOptions { Processes = 1 })|};
            }

            [Worker]
            public static int Nested(int x)
            {
                using var pool = {|PG0005:new ProcessPool(2)|};
                return pool.Processes;
            }
        }
        """);

    [Fact]
    public Task Pool_created_in_Main_or_a_method_or_lazily_is_not_reported() => VerifyCS.VerifyProgramAsync("""
        using System;
        using ParallelGen;

        using var pool = new ProcessPool(2);
        Pools.Run();

        static class Pools
        {
            private static readonly Lazy<ProcessPool> Lazy = new(() => new ProcessPool(2));
            private static ProcessPool? instance;
            private readonly static object Gate = new();

            public static void Run()
            {
                using var pool = new ProcessPool(2);
            }

            public static ProcessPool Instance => instance ??= new ProcessPool(2);
        }

        sealed class Holder
        {
            private readonly ProcessPool pool = new ProcessPool(2);
        }
        """);
}
