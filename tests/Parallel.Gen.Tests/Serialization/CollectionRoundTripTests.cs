using System.Collections.Immutable;
using ParallelGen.Tests.DataShapes;
using S = ParallelGen.Tests.DataShapes.SerializationWorkers;

namespace ParallelGen.Tests;

/// <summary>Arrays, lists, dictionaries, sets, interfaces, immutable arrays, memory, tuples and pairs, through a real worker process and back.</summary>
[Collection(SharedPoolDefinition.Name)]
public sealed class CollectionRoundTripTests(SharedPoolFixture fixture)
{
    private ProcessPool Pool => fixture.Pool;

    [Fact]
    public void Jagged_arrays_keep_their_rows_and_nulls()
    {
        int[][] jagged = [[1, 2, 3], [], null!, [int.MinValue]];

        Assert.Equal(jagged, Pool.Apply(S.EchoJagged, jagged));
    }

    [Fact]
    public void Multi_dimensional_arrays_keep_their_shape()
    {
        double[,] matrix = { { 1, 2, 3 }, { 4, 5, 6 } };

        double[,] transposed = Pool.Apply(S.Transpose, matrix);

        Assert.Equal(new double[,] { { 1, 4 }, { 2, 5 }, { 3, 6 } }, transposed);
        Assert.Equal(new double[0, 5], Pool.Apply(S.Transpose, new double[5, 0]));

        var cube = new string?[2, 3, 4];
        cube[1, 2, 3] = "corner";
        cube[0, 0, 0] = "origin";
        string?[,,] echoed = Pool.Apply(S.EchoCube, cube);
        Assert.Equal(cube, echoed);
        Assert.Null(Pool.Apply(S.EchoCube, (string?[,,])null!));

        var grid = new Line[2, 2];
        grid[0, 1] = new Line("g", 1, 1m);
        Assert.Equal(grid, Pool.Apply(S.EchoLineGrid, grid));
    }

    [Fact]
    public void Dictionaries_and_sets()
    {
        Dictionary<string, List<int>> inverted = Pool.Apply(S.Invert, new Dictionary<int, string> { [1] = "odd", [2] = "even", [3] = "odd" });

        Assert.Equal([1, 3], inverted["odd"]);
        Assert.Equal([2], inverted["even"]);

        var byPriority = new Dictionary<Priority, Line[]> { [Priority.High] = [new Line("x", 1, 2m)], [Priority.Low] = [] };
        Dictionary<Priority, Line[]> echoed = Pool.Apply(S.EchoByPriority, byPriority);
        Assert.Equal(byPriority.Keys.Order(), echoed.Keys.Order());
        Assert.Equal(byPriority[Priority.High], echoed[Priority.High]);

        HashSet<Guid> ids = [Guid.NewGuid(), Guid.NewGuid(), Guid.Empty];
        Assert.True(ids.SetEquals(Pool.Apply(S.EchoSet, ids)));
    }

    [Fact]
    public void Read_only_lists_and_collections()
    {
        Line[] lines = [new("a", 1, 3m), new("b", 1, 1m), new("c", 1, 2m)];

        IReadOnlyList<Line> cheapest = Pool.Apply(S.Cheapest, lines, 2);

        Assert.Equal(["b", "c"], cheapest.Select(l => l.Sku));
        Assert.Equal(new Dictionary<string, int> { ["ab"] = 2, ["abc"] = 3 }, Pool.Apply(S.Lengths, new List<string> { "ab", "abc" }));

        IList<int> doubled = Pool.Apply(S.Doubled, new List<int> { 1, 2 });
        doubled.Add(5); // a List, not a fixed-size array
        Assert.Equal([2, 4, 5], doubled);
    }

    [Fact]
    public void A_lazy_sequence_is_materialized_by_the_sender()
    {
        int enumerated = 0;
        IEnumerable<int> lazy = Enumerable.Range(1, 5).Select(i =>
        {
            enumerated++;
            return i;
        });

        IEnumerable<string> words = Pool.Apply(S.Words, lazy);

        Assert.Equal(5, enumerated);
        Assert.Equal(["n1", "n2", "n3", "n4", "n5"], words);
    }

    [Fact]
    public void Immutable_arrays_including_default()
    {
        ImmutableArray<string> texts = ["a", null!, "c"];
        Assert.Equal(texts, Pool.Apply(S.EchoImmutable, texts));
        Assert.True(Pool.Apply(S.EchoImmutable, default(ImmutableArray<string>)).IsDefault);
        ImmutableArray<int> numbers = [1, 2, 3];
        Assert.Equal([1L, 4L, 9L], Pool.Apply(S.Squares, numbers));
    }

    [Fact]
    public void Memory_of_unmanaged_values()
    {
        float[] values = [1.5f, -2f, 0f];

        Memory<float> negated = Pool.Apply(S.Negate, values.AsMemory(1, 2));

        Assert.Equal([2f, -0f], negated.ToArray());
        Assert.Equal([1.5f, -2f, 0f], values); // the sender's memory is untouched: the worker got a copy
        Assert.Equal(6, Pool.Apply(S.SumBytes, new ReadOnlyMemory<byte>([1, 2, 3])));
    }

    [Fact]
    public void Tuples_and_key_value_pairs_of_records()
    {
        var pair = new KeyValuePair<string, Line>("k", new Line("v", 3, 1.25m));
        Assert.Equal(pair, Pool.Apply(S.EchoPair, pair));

        var order = new Order(7, "t", [new Line("x", 1, 1m)], Priority.Normal);
        var person = new Person { Name = "P", Age = 1 };
        List<(int, string)> pairs = [(1, "one"), (2, null!)];
        (Order Order, Person Person, List<(int, string)> Pairs) echoed = Pool.Apply(S.EchoTuple, (order, person, pairs));

        Assert.Equivalent(order, echoed.Order, strict: true);
        Assert.Equal("P", echoed.Person.Name);
        Assert.Equal([(1, "one"), (2, null!)], echoed.Pairs);
    }
}
