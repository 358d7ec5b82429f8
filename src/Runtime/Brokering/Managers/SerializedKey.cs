namespace ParallelGen.Brokering.Managers;

/// <summary>
/// An item as its codec wrote it, compared by content: how manager sets, list searches and dictionary
/// entries decide that two items are the same without knowing their type.
/// </summary>
internal readonly struct SerializedKey : IEquatable<SerializedKey>
{
    private readonly int _hash;

    public SerializedKey(byte[] bytes)
    {
        Bytes = bytes;
        var hash = default(HashCode);
        hash.AddBytes(bytes);
        _hash = hash.ToHashCode();
    }

    public byte[] Bytes { get; }

    public bool Equals(SerializedKey other) => _hash == other._hash && Bytes.AsSpan().SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is SerializedKey other && Equals(other);

    public override int GetHashCode() => _hash;
}
