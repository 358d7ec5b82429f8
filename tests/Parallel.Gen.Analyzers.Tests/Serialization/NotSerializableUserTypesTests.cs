using ParallelGen.Analyzers;
using VerifyCS = ParallelGen.Analyzers.Tests.Infrastructure.Verifier<ParallelGen.Analyzers.Serialization.NotSerializableAnalyzer>;

namespace ParallelGen.Analyzers.Tests.Serialization;

/// <summary>PG0004 on the user's records, classes and polymorphic bases: the member path inside the type that fails.</summary>
public sealed class NotSerializableUserTypesTests
{
    [Fact]
    public Task A_member_deep_inside_a_record_is_named_by_its_path() => VerifyCS.VerifyAsync(
        """
        using System.Collections.Generic;
        using System.IO;
        using ParallelGen;

        public sealed record Line(string Sku, Stream Handle);
        public sealed record Order(int Id, List<Line> Lines);

        public static class Jobs
        {
            [Worker] public static int Count({|#0:Order|} order) => order.Lines.Count;
        }
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.NotSerializable).WithLocation(0)
            .WithArguments("Parameter 'order'", "Jobs.Count", "order.Lines[].Handle: Stream (a stream wraps a handle of this process; pass its bytes)"));

    [Fact]
    public Task An_interface_without_known_types_is_reported_with_the_fix() => VerifyCS.VerifyAsync(
        """
        using ParallelGen;

        public interface IShape { double Area { get; } }

        public static class Jobs
        {
            [Worker] public static double Area({|#0:IShape|} shape) => shape.Area;
        }
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.NotSerializable).WithLocation(0)
            .WithArguments("Parameter 'shape'", "Jobs.Area", "shape: IShape (an interface can't be created on the other side; list the types that may travel as it with [WorkerKnownType(typeof(...))] on IShape)"));

    [Fact]
    public Task A_listed_derived_type_is_checked_too() => VerifyCS.VerifyAsync(
        """
        using System;
        using ParallelGen;

        [WorkerKnownType(typeof(Circle))]
        public abstract record Shape;
        public sealed record Circle(Func<double> Radius) : Shape;

        public static class Jobs
        {
            [Worker] public static {|#0:Shape|} Echo(int x) => new Circle(() => x);
        }
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.NotSerializable).WithLocation(0)
            .WithArguments("The result", "Jobs.Echo", "return value(as Circle).Radius: Func<double> (a delegate is code bound to this process; pass a [Worker] method's data instead)"));

    [Fact]
    public Task A_setter_the_receiver_cant_call_is_reported() => VerifyCS.VerifyAsync(
        """
        using ParallelGen;

        public sealed class Account
        {
            public string Id { get; private set; } = "";
        }

        public static class Jobs
        {
            [Worker] public static string Id({|#0:Account|} account) => account.Id;
        }
        """,
        VerifyCS.Diagnostic(DiagnosticDescriptors.NotSerializable).WithLocation(0)
            .WithArguments("Parameter 'account'", "Jobs.Id", "account.Id: string (its setter is not public, so the receiving process can't set it; make it public or init, or take it as a constructor parameter)"));

    [Fact]
    public Task Records_classes_structs_enums_and_listed_types_are_not_reported() => VerifyCS.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using ParallelGen;

        public enum Status { Draft, Placed }
        public sealed record Line(string Sku, int Quantity, decimal Price);
        public record Order(int Id, IReadOnlyList<Line> Lines, Status Status) { public required DateTimeOffset At { get; init; } public decimal Total => 0; }
        public sealed class Node { public int Value { get; set; } public List<Node> Children { get; set; } = []; }
        public readonly record struct Point(double X, double Y);
        [WorkerKnownType(typeof(Dog))] public interface IAnimal;
        public sealed record Dog(string Name) : IAnimal;

        public static class Jobs
        {
            [Worker] public static Dictionary<Status, Point[,]> All(Order order, Node tree, IAnimal animal, ImmutableArray<Line> lines, HashSet<Guid> ids, Memory<float> samples) => [];
        }
        """);
}
