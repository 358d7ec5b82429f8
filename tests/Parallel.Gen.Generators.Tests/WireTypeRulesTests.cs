using Microsoft.CodeAnalysis;
using ParallelGen.Generators.Tests.Infrastructure;
using Xunit;

namespace ParallelGen.Generators.Tests;

/// <summary>
/// The rule PG0004 and the generator share: what can't cross a process boundary, named by member path and reason.
/// Each case compiles a type <c>T</c> and asks the rule about it, as the analyzer does (no codec plans, no compilation).
/// </summary>
public sealed class WireTypeRulesTests
{
    public static TheoryData<string, string> Refusals => new()
    {
        {
            "public sealed record Line(string Sku, Stream Handle); public sealed record T(int Id, List<Line> Lines);",
            "T.Lines[].Handle: Stream (a stream wraps a handle of this process; pass its bytes)"
        },
        {
            "public record T(Func<int> Work);",
            "T.Work: Func<int> (a delegate is code bound to this process; pass a [Worker] method's data instead)"
        },
        {
            "public record T(object Value);",
            "T.Value: object (it can hold anything; declare the concrete type, or an abstract base that lists its types with [WorkerKnownType])"
        },
        {
            "public record T(Task<int> Pending);",
            "T.Pending: Task<int> (a Task is a promise inside this process; pass its result)"
        },
        {
            "public record T(CancellationToken Token);",
            "T.Token: CancellationToken (a CancellationToken travels only as a [Worker] parameter of its own, which the pool fills in)"
        },
        {
            "public record T(Exception Error);",
            "T.Error: Exception (an exception is not data; pass its message, or a record of what the worker needs)"
        },
        {
            "public record T(Dictionary<string, Stream> Files);",
            "T.Files[]: Stream (a stream wraps a handle of this process; pass its bytes)"
        },
        {
            "public record T(Dictionary<Thread, int> Counts);",
            "T.Counts.Keys[]: Thread (it belongs to this process)"
        },
        {
            "public record T((int Id, CancellationTokenSource Source) Pair);",
            "T.Pair.Source: CancellationTokenSource (it belongs to this process)"
        },
        {
            "public record T(Memory<string> Texts);",
            "T.Texts: Memory<string> (Memory<T> is carried only for unmanaged numeric T, copied in bulk; use string[] or List<string>)"
        },
        {
            "public record T(int[,,,,] Cells);",
            "T.Cells: int[,,,,] (arrays of more than 4 dimensions are not supported; use a flat array and compute the index)"
        },
        {
            "public interface IShape; public record T(IShape Shape);",
            "T.Shape: IShape (an interface can't be created on the other side; list the types that may travel as it with [WorkerKnownType(typeof(...))] on IShape)"
        },
        {
            "[WorkerKnownType(typeof(Other))] public abstract record T; public record Other;",
            "T: T ([WorkerKnownType(typeof(Other))] must name a concrete type that derives from or implements T)"
        },
        {
            "[WorkerKnownType(typeof(Circle))] public abstract record T; public sealed record Circle(Stream Outline) : T;",
            "T(as Circle).Outline: Stream (a stream wraps a handle of this process; pass its bytes)"
        },
        {
            "public sealed class T { public string Id { get; private set; } = \"\"; }",
            "T.Id: string (its setter is not public, so the receiving process can't set it; make it public or init, or take it as a constructor parameter)"
        },
        {
            "public sealed class T { public T(string text) { } public int Count { get; set; } }",
            "T: T (it has no public constructor whose parameters all match public properties or fields by name and type; add one, or a public parameterless constructor with settable properties)"
        },
        {
            "public sealed class T : List<int> { }",
            "T: T (it derives from List<int>, whose state a generated codec can't see; hold the data in members instead)"
        },
        {
            "public static class Outer { private sealed record Hidden(int X); public record T2(int Y); } public record T(Queue<int> Pending);",
            "T.Pending: Queue<int> (this collection type is not carried; use T[], List<T>, Dictionary<K, V>, HashSet<T>, ImmutableArray<T> or IReadOnlyList<T>)"
        },
        {
            "public record T(ProcessPool Pool);",
            "T.Pool: ProcessPool (a pool belongs to the process that created it; workers can't use it)"
        },
        {
            "public record T(nint Handle);",
            "T.Handle: nint (a native handle or address only means something in this process)"
        },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void TheProblemNamesTheMemberPathAndWhy(string declarations, string expected)
    {
        INamedTypeSymbol type = Compile(declarations);

        Assert.Null(WireTypeRules.GetCodec(type, "T", out string? problem));
        Assert.Equal(expected, problem);

        // The generator's path (collecting codec plans) reaches the same verdict.
        Assert.Null(WireTypeRules.GetCodec(type, "T", new WireCodecPlans(), out string? generatorProblem));
        Assert.Equal(problem, generatorProblem);
    }

    [Fact]
    public void APrivateNestedTypeIsNamedAsSuch()
    {
        INamedTypeSymbol outer = Compile("public class T { private sealed record Hidden(int X); }");
        INamedTypeSymbol hidden = outer.GetTypeMembers("Hidden").Single();

        Assert.Null(WireTypeRules.GetCodec(hidden, "value", out string? problem));
        Assert.Equal("value: Hidden (it is private, so generated codecs can't name it; make it internal or public)", problem);
    }

    [Fact]
    public void AFileLocalTypeIsNamedAsSuch()
    {
        INamedTypeSymbol holder = Compile("public class T { } file sealed record Secret(int X);");
        INamedTypeSymbol secret = holder.ContainingNamespace.GetTypeMembers("Secret").Single();

        Assert.Null(WireTypeRules.GetCodec(secret, "secret", out string? problem));
        Assert.Equal("secret: Secret (it is file-local, so generated codecs in other files can't name it; make it internal or public)", problem);
    }

    [Fact]
    public void EverySupportedShapeHasACodec()
    {
        INamedTypeSymbol type = Compile("""
            public enum Kind { A, B }
            [Flags] public enum Bits { None = 0, One = 1 }
            public sealed record Line(string Sku, int Quantity);
            [WorkerKnownType(typeof(Circle))] public interface IShape;
            public sealed record Circle(double R) : IShape;
            public sealed class Node { public Node? Next { get; set; } public List<Node> Children { get; set; } = []; }
            public readonly record struct Pair(int A, string B);
            public sealed class T
            {
                public required string Name { get; init; }
                public Kind Kind { get; set; }
                public Bits Bits { get; set; }
                public Line[]? Lines { get; set; }
                public int[][]? Jagged { get; set; }
                public double[,]? Matrix { get; set; }
                public List<Line?>? List { get; set; }
                public Dictionary<Guid, Pair>? Map { get; set; }
                public HashSet<string>? Set { get; set; }
                public IReadOnlyList<IShape>? Shapes { get; set; }
                public IEnumerable<int>? Lazy { get; set; }
                public ImmutableArray<Line> Immutable { get; set; }
                public ReadOnlyMemory<float> Samples { get; set; }
                public KeyValuePair<string, Node> Tree { get; set; }
                public (DateTime, DateTimeOffset, TimeSpan, DateOnly, TimeOnly) Times { get; set; }
                public (decimal, BigInteger, Half, char, Int128) Numbers { get; set; }
                public Pair? Maybe { get; set; }
            }
            """);
        var plans = new WireCodecPlans();

        string? codec = WireTypeRules.GetCodec(type, "T", plans, out string? problem);

        Assert.Null(problem);
        Assert.Equal("global::ParallelGen.Generated." + plans.All.Single(p => p.TypeName == "global::Contoso.T").CodecName, codec);
        Assert.Equal(
            ["Bits", "Circle", "IShape", "Kind", "Line", "Node", "Pair", "T"],
            plans.All.Select(p => p.TypeName[(p.TypeName.LastIndexOf('.') + 1)..]).Order(StringComparer.Ordinal));
        Assert.True(plans.IsRecursive(plans.All.Single(p => p.TypeName.EndsWith(".Node", StringComparison.Ordinal))));
        Assert.False(plans.IsRecursive(plans.All.Single(p => p.TypeName.EndsWith(".Line", StringComparison.Ordinal))));
    }

    [Fact]
    public void AnObjectCodecPicksItsConstructorAndMembersWhateverTheDeclarationOrder()
    {
        // Two constructors of three parameters tie: the parameter names decide ("A,d,b" sorts before "a,c,d"), not the order
        // they are written in. A parameter matches its member by name in any case; a [SetsRequiredMembers] constructor sets the
        // required members it takes, so they are not also set by initializer; a method of the derived type hides the base's
        // property of its name; the wire order is fixed-size members first, each group by name.
        INamedTypeSymbol type = Compile("""
            public class Base { public int Hidden { get; set; } public string Kept { get; set; } = ""; }
            public sealed class T : Base
            {
                public T(int a, string c, long d) { A = a; C = c; D = d; }
                [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
                public T(int A, long d, string b) { this.A = A; B = b; D = d; }
                public required int A { get; init; }
                public required string B { get; init; }
                public string? C { get; init; }
                public long D { get; }
                public new void Hidden() { }
            }
            """);
        var plans = new WireCodecPlans();

        Assert.NotNull(WireTypeRules.GetCodec(type, "T", plans, out string? problem));

        Assert.Null(problem);
        var plan = (ObjectCodecPlan)plans.All.Single(p => p.TypeName == "global::Contoso.T");
        Assert.Equal(3, plan.ConstructorArity);
        Assert.Equal(
            ["A ctor 0", "D ctor 1", "B ctor 2", "C init", "Kept init"],
            plan.Members.Select(m => m.Name + (m.ConstructorIndex >= 0 ? " ctor " + m.ConstructorIndex : "") + (m.ViaInitializer ? " init" : "")));
    }

    [Fact]
    public void TypeNamesSpellEveryTypeAsTheSymbolDisplayDoes()
    {
        // TypeName spells keyword types itself, without the symbol display: it must agree with the display on all of them,
        // and leave the ones whose spelling depends on how they were written (nint, IntPtr) to the display.
        INamedTypeSymbol type = Compile("""
            #nullable enable
            public class T
            {
                public bool A; public char B; public sbyte C; public byte D; public short E; public ushort F; public int G;
                public uint H; public long I; public ulong J; public float K; public double L; public decimal M; public string N = "";
                public string? O; public object P = new(); public object? Q; public int[] R = []; public string?[] S = []; public int[,] U = new int[0, 0];
                public int?[] V = []; public nint W; public IntPtr X; public nuint Y; public UIntPtr Z; public int[][] AA = [];
                public List<int> AB = []; public (int, string) AC; public int? AD; public dynamic AE = 0; public object[]? AF;
                public Nested AG = new(); public @class AH = new(); public Outer<int>.Inner AI = new(); public Kind AJ; public T? AK;
                public sealed class Nested;
                public record Var; public Var AL = new(); public IDisposable? AM; public IDisposable AN = null!; public DayOfWeek AO;
                public System.IO.FileAccess AP; public System.Threading.Tasks.TaskStatus AQ; public Action? AR; public EventHandler AS = null!;
            }

            public sealed class @class;
            public enum Kind { A }
            public sealed class Outer<TValue> { public sealed class Inner; }
            """);
        SymbolDisplayFormat display = SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(
            SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);
        IFieldSymbol[] fields = [.. type.GetMembers().OfType<IFieldSymbol>()];
        Assert.Equal(44, fields.Length);
        foreach (IFieldSymbol field in fields)
        {
            string expected = field.Type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(display);
            Assert.Equal(expected, WireTypeRules.TypeName(field.Type));

            // The error-message name derived from it, where it is derived, is the display's too; so is a worker's short name.
            Assert.Equal(WireTypeRules.FullDisplay(field.Type), WireTypeRules.FullDisplay(field.Type, expected));
            Assert.Equal(field.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), WorkerIds.ShortName(field.Type));
        }
    }

    private static INamedTypeSymbol Compile(string declarations)
    {
        string source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Collections.Immutable;
            using System.IO;
            using System.Numerics;
            using System.Threading;
            using System.Threading.Tasks;
            using ParallelGen;

            namespace Contoso;

            {{declarations}}
            """;
        Compilation compilation = GeneratorHarness.CreateCompilation(source, OutputKind.DynamicallyLinkedLibrary);
        Diagnostic[] errors = [.. compilation.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(errors.Length == 0, "The test's declarations don't compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        return compilation.GetTypeByMetadataName("Contoso.T")!;
    }
}
