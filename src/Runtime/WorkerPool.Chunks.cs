using System.ComponentModel;
using ParallelGen.Execution;

namespace ParallelGen;

// Raw chunks for hosts that forward work they received from elsewhere (an Orleans silo hands the
// chunks a cluster client sent it to its own local ProcessPool): bytes in, bytes out, no codecs.
public abstract partial class WorkerPool
{
    /// <summary>
    /// Runs an already-serialized chunk on this pool's workers and returns the reply bytes unread. Used by
    /// Parallel.Gen packages that relay chunks; application code calls <c>Map</c>, <c>Apply</c> and friends.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pool was closed or terminated.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task<ChunkReply> RunChunkAsync(ChunkRequest request, CancellationToken cancellationToken)
    {
        using CallScope call = EnterCall();
        return await Executor.RunAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
