using Microsoft.CodeAnalysis;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>The dispatch table and invokers generated for [Worker] methods, and the entry point only executables get.</summary>
public sealed class WorkerTableTests
{
    [Fact]
    public void LibraryWorkersOfEveryWireType()
    {
        const string Source = """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using ParallelGen;

            namespace Contoso.Jobs;

            public enum Color
            {
                Red,
                Green,
                Blue,
            }

            public static class LibraryWorkers
            {
                [Worker]
                public static string Greet(string name) => "Hello, " + name;

                [Worker]
                public static decimal Total(decimal price, int quantity) => price * quantity;

                [Worker]
                public static Color Next(Color color) => (Color)(((int)color + 1) % 3);

                [Worker]
                public static Guid NewId() => Guid.NewGuid();

                [Worker]
                public static DateTime Later(DateTime start, TimeSpan span) => start + span;

                [Worker]
                public static int? Half(int? value) => value / 2;

                [Worker]
                public static int Sum(int[] values) => values.Sum();

                [Worker]
                public static string[] Words(string text) => text.Split(' ');

                [Worker]
                public static List<double> Scale(List<double> values, double factor) => values.Select(v => v * factor).ToList();

                [Worker]
                public static byte[] Reverse(byte[] data) => data.Reverse().ToArray();

                [Worker]
                public static (int Length, string Upper) Describe((int Id, string Name) item) => (item.Name.Length, item.Name.ToUpperInvariant());

                [Worker]
                public static void Log(string message) => Console.WriteLine(message);

                [Worker]
                public static async Task<int> WaitAsync(int milliseconds, CancellationToken cancellationToken)
                {
                    await Task.Delay(milliseconds, cancellationToken);
                    return milliseconds;
                }

                [Worker]
                public static Task FlushAsync(string path, CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);

                [Worker]
                public static ValueTask<int> CountAsync(string text) => new(text.Length);
            }

            public static class Jobs
            {
                public static string[] GreetAll(WorkerPool pool, IEnumerable<string> names) => pool.Map(LibraryWorkers.Greet, names);

                public static (int Length, string Upper)[] DescribeAll(WorkerPool pool, IEnumerable<(int Id, string Name)> items) => pool.Map(LibraryWorkers.Describe, items);

                public static Task<decimal> TotalAsync(WorkerPool pool, CancellationToken cancellationToken) => pool.ApplyAsync(LibraryWorkers.Total, 9.99m, 3, cancellationToken);
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source, OutputKind.DynamicallyLinkedLibrary));

        // A library's workers run inside the executable that references it: no entry point of its own.
        Assert.Equal(["PoolInterceptors.g.cs", "WireCodecs.g.cs", "WorkerTable_TestLib.g.cs"], run.HintNames);
        Snapshot.Verify(run);
    }

    [Fact]
    public void ExecutableComposesTheTablesOfReferencedLibraries()
    {
        const string Library = """
            using ParallelGen;

            namespace Contoso.Jobs;

            public static class LibraryWorkers
            {
                [Worker]
                public static string Greet(string name) => "Hello, " + name;
            }
            """;
        const string Program = """
            using System;
            using Contoso.Jobs;
            using ParallelGen;

            using var pool = new ProcessPool(2);
            string[] greetings = pool.Map(LibraryWorkers.Greet, new[] { "Ada", "Linus" });
            long[] squares = pool.Map(W.Square, new[] { 1, 2 });
            Console.WriteLine(greetings.Length + squares.Length);

            static class W
            {
                [Worker]
                public static long Square(int x) => (long)x * x;
            }
            """;

        GeneratorRun library = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Library, OutputKind.DynamicallyLinkedLibrary));
        MetadataReference libraryReference = GeneratorHarness.EmitReference(library.OutputCompilation);
        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Program, OutputKind.ConsoleApplication, libraryReference));

        // Workers of the library run in this executable's worker processes: its table falls back to the library's,
        // and the interceptor for the library's worker carries the id the library's table dispatches on.
        Assert.Contains("if (global::ParallelGen.Generated.WorkerTable_TestLib.Instance.TryRun(workerId, arguments, count, results, cancellationToken, out completion)) return true;", run.Source("WorkerTable_TestApp.g.cs"), StringComparison.Ordinal);
        string libraryCase = library.Source("WorkerTable_TestLib.g.cs").Split('\n').Single(line => line.Contains("// LibraryWorkers.Greet(string)", StringComparison.Ordinal));
        string id = libraryCase.Trim()["case ".Length..libraryCase.Trim().IndexOf(':', StringComparison.Ordinal)];
        Assert.Contains($"new({id}, \"LibraryWorkers.Greet(string)\")", run.Source("PoolInterceptors.g.cs"), StringComparison.Ordinal);
        Snapshot.Verify(run);
    }

    [Fact]
    public void LibraryWithoutWorkersGetsNoTable()
    {
        const string Source = """
            namespace Contoso;

            public static class Helpers
            {
                public static int Twice(int x) => 2 * x;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source, OutputKind.DynamicallyLinkedLibrary));

        Assert.Empty(run.HintNames);
    }

    [Fact]
    public void ExecutableWithoutWorkersStillGetsTableAndEntryPoint()
    {
        // An executable may only use workers of referenced libraries; its (empty) table and entry point make it a worker host.
        const string Source = """
            System.Console.WriteLine("no workers here");
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.Equal(["WorkerEntryPoint.g.cs", "WorkerTable_TestApp.g.cs"], run.HintNames);
    }
}
