using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>
/// The codecs of queue, pipe and manager items: registered for every concrete type used with those generic
/// classes in source, before a worker loop can run.
/// </summary>
public sealed class CodecRegistrationTests
{
    private const string Registrations = "WireCodecRegistrations.g.cs";

    [Fact]
    public void ExecutableRegistersItemCodecsFromItsEntryPoint()
    {
        const string Source = """
            using System;
            using ParallelGen;

            using var queue = new ProcessQueue<(int Id, string Name)>();
            ProcessQueue<DayOfWeek> days = new();
            var (a, b) = ProcessPipe.Create<string>();
            using var manager = Manager.Start();
            ManagedDictionary<int, double[]> table = manager.Dictionary<int, double[]>();
            ManagedList<Guid> ids = manager.List<Guid>();
            WorkerProcess.Start(W.Send, b).Join();
            Console.WriteLine(a.Receive() + table.Count + ids.Count + days.Count);

            static class W
            {
                [Worker]
                public static void Send(PipeEnd<string> end) => end.Send("hi");

                [Worker]
                public static int Count(ProcessQueue<decimal?> queue) => queue.Count;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.Contains(Registrations, run.HintNames);
        Assert.Contains("WireCodecRegistrations.Register();", run.Source("WorkerEntryPoint.g.cs"), StringComparison.Ordinal);
        Snapshot.Verify(run);
    }

    [Fact]
    public void LibraryRegistersItemCodecsFromAModuleInitializer()
    {
        const string Source = """
            using ParallelGen;

            namespace Contoso;

            public static class Channels
            {
                public static ProcessQueue<long> Create() => new();
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source, OutputKind.DynamicallyLinkedLibrary));

        Assert.Equal([Registrations], run.HintNames);
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", run.Source(Registrations), StringComparison.Ordinal);
        Assert.Contains("Register<long, global::ParallelGen.Serialization.UnmanagedCodec<long>>()", run.Source(Registrations), StringComparison.Ordinal);
    }

    [Fact]
    public void OpenGenericUsesAndUnrelatedGenericsRegisterNothing()
    {
        const string Source = """
            using System.Collections.Generic;
            using ParallelGen;

            var names = new List<string>();
            var queue = Make<int>();
            System.Console.WriteLine(names.Count + queue.Count);

            static ProcessQueue<T> Make<T>() => new ProcessQueue<T>();
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source));

        Assert.DoesNotContain(Registrations, run.HintNames);
    }

    [Fact]
    public void EditingAnUnrelatedFileLeavesTheCodecUsesCached()
    {
        const string Source = """
            using ParallelGen;

            using var queue = new ProcessQueue<string>();
            queue.Put("x");
            """;
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([(GeneratorHarness.ProgramPath, Source), ("/src/Unrelated.cs", "class Unrelated { int X => 1; }")]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        Assert.Contains(driver.GetRunResult().Results.Single().GeneratedSources, s => s.HintName == Registrations);

        SyntaxTree unrelated = compilation.SyntaxTrees.Single(t => t.FilePath == "/src/Unrelated.cs");
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(unrelated, GeneratorHarness.Parse("class Unrelated { int X => 2; }", "/src/Unrelated.cs")), TestContext.Current.CancellationToken);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string name in new[] { TrackingNames.CodecUses, TrackingNames.CollectedCodecUses })
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> steps) && !steps.IsEmpty, $"No step named {name}.");
            Assert.All(steps.SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {o.Reason}"));
        }
    }
}
