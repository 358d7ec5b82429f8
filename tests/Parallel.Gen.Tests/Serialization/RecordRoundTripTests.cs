using ParallelGen.Tests.DataShapes;
using S = ParallelGen.Tests.DataShapes.SerializationWorkers;

namespace ParallelGen.Tests;

/// <summary>Records, classes and structs of the user's, through a real worker process and back.</summary>
[Collection(SharedPoolDefinition.Name)]
public sealed class RecordRoundTripTests(SharedPoolFixture fixture)
{
    private ProcessPool Pool => fixture.Pool;

    private static Order SampleOrder() =>
        new(42, "Zoë Ünicode 漢字", [new Line("A-1", 2, 9.99m), new Line("B-2", 1, 0.01m)], Priority.High) { Notes = "leave at the door" };

    [Fact]
    public void Positional_records_with_init_members_and_nested_lists()
    {
        Order order = SampleOrder();

        Order echoed = Pool.Apply(S.EchoOrder, order);

        Assert.Equivalent(order, echoed, strict: true);
        Assert.Equal(order.Total, Pool.Apply(S.TotalOf, order));
    }

    [Fact]
    public void A_record_changed_by_the_worker_comes_back_changed()
    {
        Order changed = Pool.Apply(S.AddNote, SampleOrder(), "ring twice");

        Assert.Equal("ring twice", changed.Notes);
        Assert.Equal(["A-1", "B-2", "NOTE"], changed.Lines.Select(l => l.Sku));
    }

    [Fact]
    public void Null_members_and_null_values_stay_null()
    {
        var order = new Order(1, "x", [], Priority.Low);

        Order echoed = Pool.Apply(S.EchoOrder, order);

        Assert.Null(echoed.Notes);
        Assert.Empty(echoed.Lines);
        Assert.Null(Pool.Apply(S.EchoOrder, (Order)null!));
    }

    [Fact]
    public void Classes_with_required_init_and_settable_members()
    {
        var person = new Person { Name = "Ada", Age = 36, Email = null, Birthday = new DateOnly(1815, 12, 10), Nicknames = ["Countess"] };

        Person older = Pool.Apply(S.Older, person);

        Assert.Equal("Ada", older.Name);
        Assert.Equal(37, older.Age);
        Assert.Null(older.Email);
        Assert.Equal(person.Birthday, older.Birthday);
        Assert.Equal(["Countess"], older.Nicknames);

        Person noBirthday = Pool.Apply(S.Older, new Person { Name = "Bob" });
        Assert.Null(noBirthday.Birthday);
        Assert.Null(noBirthday.Nicknames);
    }

    [Fact]
    public void Classes_built_through_a_matching_constructor()
    {
        Point3 scaled = Pool.Apply(S.Scale, new Point3(1, 2, 3), 2.0);

        Assert.Equal((2.0, 4.0, 6.0), (scaled.X, scaled.Y, scaled.Z));
        Assert.Equal(5.0, Pool.Apply(S.LengthOf, new Point3(3, 4, 0)), 12);
    }

    [Fact]
    public void Structs_with_public_fields_and_record_structs()
    {
        Cell[] cells = [new() { Row = 1, Column = 2, Text = "a" }, new() { Row = -1, Column = int.MaxValue, Text = null }];

        Assert.Equal(cells, Pool.Apply(S.EchoCells, cells));
        Assert.Equal(new Temperature(22.5, "Oslo"), Pool.Apply(S.Warmer, new Temperature(21.5, "Oslo")));
        Assert.Equal(new Temperature(-3, "Tromsø"), Pool.Apply(S.EchoMaybeTemperature, (Temperature?)new Temperature(-3, "Tromsø")));
        Assert.Null(Pool.Apply(S.EchoMaybeTemperature, (Temperature?)null));
    }

    [Fact]
    public void Types_with_nothing_to_carry()
    {
        (Blank blank, EmptyRecord? record, Blank[] many) = Pool.Apply(S.EchoEmpty, default(Blank), new EmptyRecord(), new Blank[3]);

        Assert.Equal(default, blank);
        Assert.NotNull(record);
        Assert.Equal(3, many.Length);
        Assert.Null(Pool.Apply(S.EchoEmpty, default(Blank), (EmptyRecord?)null, Array.Empty<Blank>()).Item2);
    }

    [Fact]
    public void Generic_records_closed_over_different_types()
    {
        Assert.Equal(new Pair<string>("b", "a"), Pool.Apply(S.Swap, new Pair<string>("a", "b")));
        Assert.Equal(new Pair<Line?>(null, new Line("x", 1, 1m)), Pool.Apply(S.SwapLines, new Pair<Line?>(new Line("x", 1, 1m), null)));
    }

    [Fact]
    public void Nested_types()
    {
        var entry = new Catalog.Entry("Dune", new Catalog.Section.Shelf(3, 'F'));

        Assert.Equal(entry, Pool.Apply(S.EchoEntry, entry));
    }

    [Fact]
    public void Records_travel_as_map_items_too()
    {
        Order[] orders = [.. Enumerable.Range(0, 50).Select(i => new Order(i, "c" + i, [new Line("S" + i, i, i * 1.5m)], (Priority)(1 + (i % 3))))];

        decimal[] totals = Pool.Map(S.TotalOf, orders);

        Assert.Equal(orders.Select(o => o.Total), totals);
    }
}
