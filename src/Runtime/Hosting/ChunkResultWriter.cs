using System.ComponentModel;
using ParallelGen.Serialization;

namespace ParallelGen.Hosting;

/// <summary>
/// Writes the outcome of a chunk: a reserved offset, the results of the items that succeeded in
/// order, then the list of failures (item index and exception). Successful items carry no per-item
/// overhead; the reader learns which indices failed from the list before reading values.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkResultWriter
{
    private readonly List<(int Index, RemoteExceptionInfo Error)> _failures = [];
    private int _failuresOffsetSlot = -1;

    internal ChunkResultWriter(WireWriter writer)
    {
        Writer = writer;
    }

    /// <summary>Where successful results go.</summary>
    public WireWriter Writer { get; }

    internal void Begin()
    {
        _failures.Clear();
        _failuresOffsetSlot = Writer.ReserveInt32();
    }

    /// <summary>Records that item <paramref name="index"/> threw <paramref name="exception"/>.</summary>
    public void AddFailure(int index, Exception exception) => _failures.Add((index, RemoteExceptionInfo.From(exception)));

    internal void Complete()
    {
        Writer.PatchInt32(_failuresOffsetSlot, Writer.Position - _failuresOffsetSlot);
        Writer.WriteLength(_failures.Count);
        foreach ((int index, RemoteExceptionInfo error) in _failures)
        {
            Writer.WriteInt32(index);
            error.Write(Writer);
        }
    }
}
