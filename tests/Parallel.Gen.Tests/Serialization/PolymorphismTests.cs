using ParallelGen.Tests.DataShapes;
using S = ParallelGen.Tests.DataShapes.SerializationWorkers;

namespace ParallelGen.Tests;

/// <summary>Polymorphic bases listed with [WorkerKnownType], and self-referencing types (trees, chains, cycles).</summary>
[Collection(SharedPoolDefinition.Name)]
public sealed class PolymorphismTests(SharedPoolFixture fixture)
{
    private ProcessPool Pool => fixture.Pool;

    [Fact]
    public void Derived_records_arrive_as_their_own_type()
    {
        Shape[] shapes = [new Circle("c", 1), new Rect("r", 2, 3), new Square("s", 4)];

        foreach (Shape shape in shapes)
        {
            Shape echoed = Pool.Apply(S.EchoShape, shape);
            Assert.Equal(shape.GetType(), echoed.GetType());
            Assert.Equal(shape, echoed);
        }

        Assert.Equal([Math.PI, 6, 16], Pool.Map(S.Area, shapes));
        List<Shape?> mixed = [null, new Square("q", 1), new Circle("o", 2)];
        Assert.Equal(mixed, Pool.Apply(S.EchoShapes, mixed));
    }

    [Fact]
    public void An_interface_carries_its_classes_and_structs()
    {
        IAnimal[] animals = [new Dog("Rex", true), new Cat("Tom", 9), null!];

        IAnimal[] echoed = Pool.Apply(S.EchoAnimals, animals);

        Assert.Equal(animals, echoed);
        Assert.IsType<Cat>(echoed[1]);
    }

    [Fact]
    public void A_derived_type_that_is_not_listed_fails_on_the_senders_side()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Pool.Apply(S.EchoShape, new Triangle("t", 1, 2)));

        Assert.Contains("ParallelGen.Tests.DataShapes.Triangle", error.Message, StringComparison.Ordinal);
        Assert.Contains("[WorkerKnownType(typeof(Triangle))]", error.Message, StringComparison.Ordinal);

        // The pool is fine afterwards.
        Assert.Equal(new Circle("c", 1), Pool.Apply(S.EchoShape, new Circle("c", 1)));
    }

    [Fact]
    public void A_derived_instance_of_a_record_without_known_types_is_refused_not_sliced()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Pool.Apply(S.EchoOrder, new RushOrder(1, "c", [], Priority.High, TimeSpan.FromHours(1))));

        Assert.Contains("RushOrder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trees_of_a_self_referencing_type()
    {
        TreeNode tree = Tree(depth: 4, fanOut: 3);

        Assert.Equal(Sum(tree), Pool.Apply(S.SumTree, tree));
        Assert.Equivalent(tree, Pool.Apply(S.EchoTree, tree), strict: true);
    }

    [Fact]
    public void Deep_chains_cross_up_to_the_nesting_limit()
    {
        Assert.Equal(900, Pool.Apply(S.LengthOfChain, Chain(900)));

        var error = Assert.Throws<InvalidOperationException>(() => Pool.Apply(S.LengthOfChain, Chain(Serialization.WireReader.MaxNestingDepth + 1)));
        Assert.Contains("nest deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_fails_clearly_on_the_senders_side_and_the_pool_carries_on()
    {
        var a = new Link { Value = 1 };
        var b = new Link { Value = 2, Next = a };
        a.Next = b;

        var error = Assert.Throws<InvalidOperationException>(() => Pool.Apply(S.LengthOfChain, a));

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Pool.Apply(S.LengthOfChain, new Link { Value = 1, Next = new Link() }));
    }

    private static TreeNode Tree(int depth, int fanOut)
    {
        var node = new TreeNode { Value = depth };
        if (depth > 0)
        {
            node.Children = [.. Enumerable.Range(0, fanOut).Select(_ => Tree(depth - 1, fanOut))];
        }

        return node;
    }

    private static int Sum(TreeNode node) => node.Value + node.Children.Sum(Sum);

    private static Link Chain(int length)
    {
        Link head = new() { Value = 0 };
        for (int i = 1; i < length; i++)
        {
            head = new Link { Value = i, Next = head };
        }

        return head;
    }
}

/// <summary>Derives from Order, which lists no known types.</summary>
public sealed record RushOrder(int Id, string Customer, List<Line> Lines, Priority Priority, TimeSpan Deadline) : Order(Id, Customer, Lines, Priority);
