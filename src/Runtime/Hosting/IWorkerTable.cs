using System.ComponentModel;
using ParallelGen.Serialization;

namespace ParallelGen.Hosting;

/// <summary>
/// A dispatch table of worker methods, generated for each assembly that declares <see cref="WorkerAttribute"/>
/// methods: a <c>switch</c> over stable worker ids. Used by generated code; not meant to be implemented by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IWorkerTable
{
    /// <summary>Identifies the set of workers this table was built with, for version-skew messages.</summary>
    string BuildId { get; }

    /// <summary>
    /// Runs <paramref name="count"/> calls of worker <paramref name="workerId"/> whose arguments are in
    /// <paramref name="arguments"/>, writing each outcome to <paramref name="results"/>. Returns
    /// <see langword="false"/> when the table has no such worker.
    /// </summary>
    bool TryRun(ulong workerId, ReadOnlyMemory<byte> arguments, int count, ChunkResultWriter results, CancellationToken cancellationToken, out ValueTask completion);
}
