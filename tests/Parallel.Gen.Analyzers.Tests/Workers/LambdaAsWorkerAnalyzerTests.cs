using ParallelGen.Analyzers.Workers;
using VerifyCS = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Workers.LambdaAsWorkerAnalyzer>;

namespace ParallelGen.Analyzers.Tests.Workers;

public sealed class LambdaAsWorkerAnalyzerTests
{
    [Fact]
    public Task Lambda_passed_to_Map_is_reported() => VerifyCS.VerifyProgramAsync("""
        using ParallelGen;

        using var pool = new ProcessPool(2);
        int[] squares = pool.Map({|PG0001:x => x * x|}, new[] { 1, 2, 3 });
        """);
}
