using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Server;

/// <summary>
/// An object that carries out a batch of posted requests (<see cref="BrokerPostBatch"/>) faster together than one by one
/// (a pipe: many sends under one lock). The listener hands it the batch; whatever it leaves goes the usual way, one
/// request at a time, so the server knows no object kind by name.
/// </summary>
internal interface IPostedBatchTarget
{
    /// <summary>Whether this object takes batches of <paramref name="op"/> itself.</summary>
    bool TakesBatchesOf(BrokerOp op);

    /// <summary>
    /// Carries out the next entries of <paramref name="entries"/>. Returns <see langword="true"/> when it stopped before
    /// <paramref name="unhandled"/>, which the caller dispatches alone (and then calls again); <see langword="false"/> when
    /// the batch is done.
    /// </summary>
    bool TakePosted(ref BrokerPostBatch.Reader entries, out ReadOnlySpan<byte> unhandled);
}
