using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>The codec structs generated for the user's records, classes, structs, polymorphic bases and enums.</summary>
public sealed partial class SerializerGenerationTests
{
    /// <summary>Types of an order system: records positional and nominal, required and init members, enums, flags, a polymorphic base, a recursive class.</summary>
    private const string Shapes = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using ParallelGen;

        namespace Contoso.Orders;

        public enum Status : byte
        {
            Draft = 1,
            Placed = 2,
            Shipped = 3,
        }

        [Flags]
        public enum Options
        {
            None = 0,
            GiftWrap = 1,
            Express = 2,
        }

        public sealed record Line(string Sku, int Quantity, decimal Price, double WeightKg);

        public record Order(int Id, string Customer, IReadOnlyList<Line> Lines, Status Status)
        {
            public required DateTimeOffset PlacedAt { get; init; }

            public Options Options { get; init; }

            public string? Notes { get; set; }

            public Dictionary<string, decimal>? Discounts { get; init; }

            public Payment? Payment { get; init; }

            public decimal Total => Lines.Sum(l => l.Quantity * l.Price);
        }

        [WorkerKnownType(typeof(Card))]
        [WorkerKnownType(typeof(Invoice))]
        public abstract record Payment;

        public sealed record Card(string Last4) : Payment;

        public sealed record Invoice(int DueDays) : Payment;

        public sealed class Category
        {
            public string Name { get; set; } = "";

            public Category? Parent { get; set; }
        }

        public readonly record struct Receipt(int OrderId, decimal Total, Category? Category);
        """;

    private const string Jobs = """
        using Contoso.Orders;
        using ParallelGen;

        namespace Contoso.Jobs;

        public static class Checkout
        {
            [Worker]
            public static Receipt Settle(Order order) => new(order.Id, order.Total, null);
        }
        """;

    [Fact]
    public void RepresentativeRecordCodecs()
    {
        const string NamedCodec = """
            using Contoso.Orders;
            using ParallelGen.Serialization;

            namespace Contoso.Codecs;

            [GenerateWireCodec(typeof(Order))]
            public partial struct OrderCodec;
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(
            [("/src/Shapes.cs", Shapes), ("/src/Jobs.cs", Jobs), ("/src/Codecs.cs", NamedCodec)], OutputKind.DynamicallyLinkedLibrary));

        Assert.Equal(["WireCodec_Contoso.Codecs.OrderCodec.g.cs", "WireCodecs.g.cs", "WorkerTable_TestLib.g.cs"], run.HintNames);
        Snapshot.Verify(run);
    }

    [Fact]
    public void CodecsAgreeAcrossAssembliesAndWhetherTypesComeFromSourceOrMetadata()
    {
        // Library "Shapes" holds the types; library "Jobs" the worker; the executable calls the worker and asks for a codec of its own.
        const string Program = """
            using Contoso.Jobs;
            using Contoso.Orders;
            using ParallelGen;
            using ParallelGen.Serialization;

            using var pool = new ProcessPool(2);
            var order = new Order(1, "c", [], Status.Draft) { PlacedAt = default };
            System.Console.WriteLine(pool.Apply(Checkout.Settle, order));

            [GenerateWireCodec(typeof(Order))]
            partial struct OrderCodec;
            """;

        MetadataReference shapes = GeneratorHarness.EmitReference(
            GeneratorHarness.RunAndAssertCompiles(Library("Shapes", ("/src/Shapes.cs", Shapes))).OutputCompilation);
        GeneratorRun jobs = GeneratorHarness.RunAndAssertCompiles(Library("Jobs", [("/src/Jobs.cs", Jobs)], shapes));
        MetadataReference jobsReference = GeneratorHarness.EmitReference(jobs.OutputCompilation);
        GeneratorRun app = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Program, OutputKind.ConsoleApplication, shapes, jobsReference));
        GeneratorRun together = GeneratorHarness.RunAndAssertCompiles(Library("Together", ("/src/Shapes.cs", Shapes), ("/src/Jobs.cs", Jobs)));

        Dictionary<string, string> worker = CodecBlocks(jobs.Source("WireCodecs.g.cs"));
        Dictionary<string, string> caller = CodecBlocks(app.Source("WireCodecs.g.cs"));
        Dictionary<string, string> fromSource = CodecBlocks(together.Source("WireCodecs.g.cs"));

        // The worker's side reads exactly what the caller's side writes: the same structs, character for character. The
        // caller's one codec file serves both its call (the referenced worker's types) and its [GenerateWireCodec] struct.
        Assert.Contains(worker.Keys, name => name.StartsWith("Order_WireCodec_", StringComparison.Ordinal));
        Assert.Contains(worker.Keys, name => name.StartsWith("Payment_WireUnion_", StringComparison.Ordinal));
        Assert.Equal(worker, caller);
        Assert.Equal(worker, fromSource);
        Assert.DoesNotContain("readonly struct", app.Source("WireCodec_OrderCodec.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("readonly struct", app.Source("PoolInterceptors.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Codec structs are internal to each assembly. A library that shows its internals to the program carries the same
    /// codec the program generates for its call: the compiler takes the program's own copy (CS0436, which the generated
    /// files switch off), and the build stays clean under warnings-as-errors.
    /// </summary>
    [Fact]
    public void ACallerThatSeesTheLibrarysInternalsCompilesCleanly()
    {
        const string Program = """
            using Contoso.Jobs;
            using Contoso.Orders;
            using ParallelGen;

            using var pool = new ProcessPool(2);
            var order = new Order(1, "c", [], Status.Draft) { PlacedAt = default };
            System.Console.WriteLine(pool.Apply(Checkout.Settle, order));
            """;

        CSharpCompilation library = Library("Jobs", ("/src/Shapes.cs", Shapes), ("/src/Jobs.cs", Jobs), ("/src/Friends.cs", "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"TestApp\")]"));
        GeneratorRun jobs = GeneratorHarness.RunAndAssertCompiles(library);
        GeneratorRun app = GeneratorHarness.RunAndAssertCompiles(
            GeneratorHarness.CreateCompilation(Program, OutputKind.ConsoleApplication, GeneratorHarness.EmitReference(jobs.OutputCompilation)));

        // Both assemblies hold the codec, by the same name; the program's compiles against its own.
        Assert.Equal(CodecBlocks(jobs.Source("WireCodecs.g.cs")), CodecBlocks(app.Source("WireCodecs.g.cs")));
    }

    [Fact]
    public void AWorkerWithAMemberThatCantCrossIsSkipped()
    {
        const string Source = """
            using System.Collections.Generic;
            using System.IO;
            using ParallelGen;

            namespace Contoso;

            public sealed record Line(string Sku, Stream Handle);

            public sealed record Order(int Id, List<Line> Lines);

            public static class Jobs
            {
                [Worker]
                public static int Count(Order order) => order.Lines.Count;

                [Worker]
                public static int Twice(int x) => 2 * x;
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source, OutputKind.DynamicallyLinkedLibrary));

        // The generator leaves the worker out (PG0004 reports it); everything else is generated and compiles.
        string table = run.Source("WorkerTable_TestLib.g.cs");
        Assert.Contains("// Jobs.Twice(int)", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Jobs.Count", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Line_WireCodec", table, StringComparison.Ordinal);
        Assert.DoesNotContain("WireCodecs.g.cs", run.HintNames);

        INamedTypeSymbol order = run.OutputCompilation.GetTypeByMetadataName("Contoso.Order")!;
        Assert.Null(WireTypeRules.GetCodec(order, "Order", out string? problem));
        Assert.Equal("Order.Lines[].Handle: Stream (a stream wraps a handle of this process; pass its bytes)", problem);
    }

    [Fact]
    public void EnumCodecsCheckDefinedValuesWithoutReflection()
    {
        const string Source = """
            using System;
            using ParallelGen;

            namespace Contoso;

            public enum Sparse : short { Low = -5, Mid = 0, High = 300, Alias = 300 }

            [Flags]
            public enum Rights : ulong { None = 0, Read = 1, All = 0x8000000000000001 }

            public enum Huge : long { Min = long.MinValue, Max = long.MaxValue }

            public enum Nothing { }

            public static class Jobs
            {
                [Worker]
                public static (Sparse, Rights, Huge, Nothing) Echo(Sparse a, Rights b, Huge c, Nothing d) => (a, b, c, d);
            }
            """;

        GeneratorRun run = GeneratorHarness.RunAndAssertCompiles(GeneratorHarness.CreateCompilation(Source, OutputKind.DynamicallyLinkedLibrary));

        string table = run.Source("WireCodecs.g.cs");
        Assert.DoesNotContain("Enum.IsDefined", table, StringComparison.Ordinal);
        Assert.Contains("case -5:", table, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(table, "case 300:"));
        Assert.Contains("if ((raw & unchecked((ulong)~9223372036854775809UL)) == 0)", table, StringComparison.Ordinal);
        Assert.Contains("case -9223372036854775808L:", table, StringComparison.Ordinal);
    }

    private static CSharpCompilation Library(string name, params (string Path, string Source)[] sources) => Library(name, sources, []);

    private static CSharpCompilation Library(string name, (string Path, string Source)[] sources, params MetadataReference[] references) =>
        GeneratorHarness.CreateCompilation(sources, OutputKind.DynamicallyLinkedLibrary, references).WithAssemblyName(name);

    /// <summary>Every generated codec struct in <paramref name="source"/>, by name, with its full text.</summary>
    private static Dictionary<string, string> CodecBlocks(string source) =>
        CodecBlock().Matches(source).ToDictionary(m => m.Groups["name"].Value, m => m.Value);

    [GeneratedRegex(@"^    /// <summary>Carries [^\n]*\n(?:    \[[^\n]*\n)*    internal readonly struct (?<name>\w+)[\s\S]*?\n    }\n", RegexOptions.Multiline)]
    private static partial Regex CodecBlock();
}
