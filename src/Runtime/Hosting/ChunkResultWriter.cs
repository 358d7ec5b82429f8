using System.ComponentModel;
using ParallelGen.Exceptions;
using ParallelGen.Serialization;

namespace ParallelGen.Hosting;

/// <summary>
/// Writes the outcome of a chunk in the layout of <see cref="Protocol.ChunkReplyBody"/>: the results of the items that
/// succeeded in order (no per-item overhead), then the list of failures (item index and exception).
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
        _failuresOffsetSlot = Protocol.ChunkReplyBody.BeginValues(Writer);
    }

    /// <summary>Records that item <paramref name="index"/> threw <paramref name="exception"/>.</summary>
    public void AddFailure(int index, Exception exception) => _failures.Add((index, RemoteExceptionInfo.From(exception)));

    internal void Complete()
    {
        Protocol.ChunkReplyBody.EndValues(Writer, _failuresOffsetSlot, _failures);
    }
}
