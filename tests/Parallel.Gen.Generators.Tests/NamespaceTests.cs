using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>Our namespaces, generated and shipped, don't get in the way of names users already rely on.</summary>
public sealed class NamespaceTests
{
    [Fact]
    public void UsingParallelGenDoesNotHideSystemThreadingTasksParallel()
    {
        const string Source = """
            using ParallelGen;
            using System.Threading.Tasks;

            Parallel.For(0, 10, i => { });
            System.Console.WriteLine(W.Identity(1));

            static class W
            {
                [Worker]
                public static int Identity(int x) => x;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.Contains("WorkerTable_TestApp.g.cs", run.HintNames);
    }
}
