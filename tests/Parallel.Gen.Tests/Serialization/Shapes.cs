using System.Numerics;

namespace ParallelGen.Tests.DataShapes;

// The data shapes the serialization tests send through real worker processes. Blank here carries a
// codec by hand: every codec comes from the generator.

public enum Priority : byte
{
    Low = 1,
    Normal = 2,
    High = 3,
}

[Flags]
public enum Access
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
}

public enum Extreme : long
{
    Min = long.MinValue,
    Zero = 0,
    Max = long.MaxValue,
}

/// <summary>A positional record.</summary>
public sealed record Line(string Sku, int Quantity, decimal Price);

/// <summary>A positional record with an init-only member and a computed one (not carried: recomputed on the other side).</summary>
public record Order(int Id, string Customer, List<Line> Lines, Priority Priority)
{
    public string? Notes { get; init; }

    public decimal Total => Lines.Sum(l => l.Quantity * l.Price);
}

/// <summary>A nominal class: required, init and settable members, nullable references and values.</summary>
public sealed class Person
{
    public required string Name { get; init; }

    public int Age { get; set; }

    public string? Email { get; set; }

    public DateOnly? Birthday { get; set; }

    public List<string>? Nicknames { get; set; }
}

/// <summary>An immutable class built through its constructor.</summary>
public sealed class Point3(double x, double y, double z)
{
    public double X { get; } = x;

    public double Y { get; } = y;

    public double Z { get; } = z;

    public double Length => Math.Sqrt((X * X) + (Y * Y) + (Z * Z));
}

/// <summary>A mutable struct with public fields (the shape under test, so CA1051 doesn't apply).</summary>
#pragma warning disable CA1051
public struct Cell
{
    public int Row;
    public int Column;
    public string? Text;
}
#pragma warning restore CA1051

/// <summary>A record struct.</summary>
public readonly record struct Temperature(double Celsius, string Station);

/// <summary>A struct and a record with nothing to carry.</summary>
public readonly record struct Blank;

public sealed record EmptyRecord;

/// <summary>A generic record, closed over different type arguments.</summary>
public sealed record Pair<T>(T First, T Second);

/// <summary>Types nested in classes.</summary>
public static class Catalog
{
    public sealed record Entry(string Title, Section.Shelf Shelf);

    public static class Section
    {
        public readonly record struct Shelf(int Row, char Column);
    }
}

/// <summary>Every scalar the serializers know, in one record.</summary>
public sealed record Scalars(
    Guid Id,
    DateTime When,
    DateTimeOffset At,
    TimeSpan Took,
    DateOnly Day,
    TimeOnly Time,
    decimal Price,
    BigInteger Big,
    Half Small,
    char Letter,
    string Text,
    Int128 Huge,
    Access Access,
    Extreme Extreme,
    Priority? MaybePriority,
    int? MaybeCount,
    bool Flag,
    byte Octet,
    sbyte SignedOctet,
    short Offset,
    ushort Port,
    uint Mask,
    long Ticks,
    ulong Hash,
    float Ratio,
    double Mean);

/// <summary>A polymorphic base: the listed types travel with a discriminator.</summary>
[WorkerKnownType(typeof(Circle))]
[WorkerKnownType(typeof(Rect))]
[WorkerKnownType(typeof(Square))]
public abstract record Shape(string Name);

public sealed record Circle(string Name, double Radius) : Shape(Name);

public record Rect(string Name, double Width, double Height) : Shape(Name);

public sealed record Square(string Name, double Side) : Rect(Name, Side, Side);

/// <summary>Derives from Shape but is not listed: sending it fails on the sender's side.</summary>
public sealed record Triangle(string Name, double Base, double Height) : Shape(Name);

/// <summary>A polymorphic interface, implemented by a record and a struct.</summary>
[WorkerKnownType(typeof(Dog))]
[WorkerKnownType(typeof(Cat))]
public interface IAnimal
{
    string Name { get; }
}

public sealed record Dog(string Name, bool Good) : IAnimal;

public readonly record struct Cat(string Name, int Lives) : IAnimal;

/// <summary>A self-referencing type: a tree.</summary>
public sealed class TreeNode
{
    public int Value { get; set; }

    public List<TreeNode> Children { get; set; } = [];
}

/// <summary>A self-referencing type that can be made into a cycle.</summary>
public sealed class Link
{
    public int Value { get; set; }

    public Link? Next { get; set; }
}
