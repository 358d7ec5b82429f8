using System.Collections.Immutable;
using System.Numerics;

namespace ParallelGen.Tests.DataShapes;

/// <summary>Workers that hand their argument back (proving both directions) or compute from it (proving the worker saw the values).</summary>
public static class SerializationWorkers
{
    // Records, classes and structs
    [Worker]
    public static Order EchoOrder(Order order) => order;

    [Worker]
    public static decimal TotalOf(Order order) => order.Total;

    [Worker]
    public static Order AddNote(Order order, string note) => order with { Notes = note, Lines = [.. order.Lines, new Line("NOTE", 1, 0m)] };

    [Worker]
    public static Person Older(Person person) => new() { Name = person.Name, Age = person.Age + 1, Email = person.Email, Birthday = person.Birthday, Nicknames = person.Nicknames };

    [Worker]
    public static Point3 Scale(Point3 point, double factor) => new(point.X * factor, point.Y * factor, point.Z * factor);

    [Worker]
    public static double LengthOf(Point3 point) => point.Length;

    [Worker]
    public static Cell[] EchoCells(Cell[] cells) => cells;

    [Worker]
    public static Temperature Warmer(Temperature t) => t with { Celsius = t.Celsius + 1 };

    [Worker]
    public static (Blank, EmptyRecord?, Blank[]) EchoEmpty(Blank nothing, EmptyRecord? record, Blank[] many) => (nothing, record, many);

    [Worker]
    public static Catalog.Entry EchoEntry(Catalog.Entry entry) => entry;

    [Worker]
    public static Temperature? EchoMaybeTemperature(Temperature? t) => t;

    [Worker]
    public static Pair<string> Swap(Pair<string> pair) => new(pair.Second, pair.First);

    [Worker]
    public static Pair<Line?> SwapLines(Pair<Line?> pair) => new(pair.Second, pair.First);

    // Scalars
    [Worker]
    public static Scalars EchoScalars(Scalars scalars) => scalars;

    [Worker]
    public static BigInteger Factorial(int n)
    {
        BigInteger result = BigInteger.One;
        for (int i = 2; i <= n; i++)
        {
            result *= i;
        }

        return result;
    }

    [Worker]
    public static Access Grant(Access access, Access more) => access | more;

    [Worker]
    public static Priority EchoPriority(Priority priority) => priority;

    [Worker]
    public static string Reverse(string text) => string.Concat(text.EnumerateRunes().Reverse());

    // Collections
    [Worker]
    public static int[][] EchoJagged(int[][] values) => values;

    [Worker]
    public static double[,] Transpose(double[,] matrix)
    {
        var result = new double[matrix.GetLength(1), matrix.GetLength(0)];
        for (int i = 0; i < matrix.GetLength(0); i++)
        {
            for (int j = 0; j < matrix.GetLength(1); j++)
            {
                result[j, i] = matrix[i, j];
            }
        }

        return result;
    }

    [Worker]
    public static string?[,,] EchoCube(string?[,,] cube) => cube;

    [Worker]
    public static Line[,] EchoLineGrid(Line[,] grid) => grid;

    [Worker]
    public static Dictionary<string, List<int>> Invert(Dictionary<int, string> map) =>
        map.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Key).Order().ToList());

    [Worker]
    public static Dictionary<Priority, Line[]> EchoByPriority(Dictionary<Priority, Line[]> lines) => lines;

    [Worker]
    public static HashSet<Guid> EchoSet(HashSet<Guid> ids) => ids;

    [Worker]
    public static IReadOnlyList<Line> Cheapest(IReadOnlyList<Line> lines, int count) => [.. lines.OrderBy(l => l.Price).Take(count)];

    [Worker]
    public static IEnumerable<string> Words(IEnumerable<int> numbers) => numbers.Select(n => "n" + n);

    [Worker]
    public static IReadOnlyDictionary<string, int> Lengths(IReadOnlyCollection<string> words) => words.ToDictionary(w => w, w => w.Length);

    [Worker]
    public static IList<int> Doubled(IList<int> values) => [.. values.Select(v => v * 2)];

    [Worker]
    public static ImmutableArray<string> EchoImmutable(ImmutableArray<string> values) => values;

    [Worker]
    public static ImmutableArray<long> Squares(ImmutableArray<int> values) => [.. values.Select(v => (long)v * v)];

    [Worker]
    public static Memory<float> Negate(Memory<float> values)
    {
        foreach (ref float v in values.Span)
        {
            v = -v;
        }

        return values;
    }

    [Worker]
    public static int SumBytes(ReadOnlyMemory<byte> bytes)
    {
        int sum = 0;
        foreach (byte b in bytes.Span)
        {
            sum += b;
        }

        return sum;
    }

    [Worker]
    public static KeyValuePair<string, Line> EchoPair(KeyValuePair<string, Line> pair) => pair;

    [Worker]
    public static (Order Order, Person Person, List<(int, string)> Pairs) EchoTuple((Order Order, Person Person, List<(int, string)> Pairs) value) => value;

    // Polymorphism
    [Worker]
    public static Shape EchoShape(Shape shape) => shape;

    [Worker]
    public static double Area(Shape shape) => shape switch
    {
        Circle c => Math.PI * c.Radius * c.Radius,
        Rect r => r.Width * r.Height,
        _ => throw new ArgumentException("unknown shape " + shape.GetType().Name),
    };

    [Worker]
    public static List<Shape?> EchoShapes(List<Shape?> shapes) => shapes;

    [Worker]
    public static IAnimal[] EchoAnimals(IAnimal[] animals) => animals;

    // Recursive types
    [Worker]
    public static int SumTree(TreeNode node) => node.Value + node.Children.Sum(SumTree);

    [Worker]
    public static TreeNode EchoTree(TreeNode node) => node;

    [Worker]
    public static int LengthOfChain(Link link)
    {
        int length = 0;
        for (Link? l = link; l is not null; l = l.Next)
        {
            length++;
        }

        return length;
    }
}
