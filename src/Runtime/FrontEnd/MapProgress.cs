namespace ParallelGen;

/// <summary>
/// How far a <c>Map</c>, <c>StarMap</c> or <c>Imap</c> call has come, reported to the <see cref="IProgress{T}"/>
/// passed as its <c>progress</c> argument. Reports are throttled (a few per second, not one per item), counted per
/// chunk as chunks come back; when the call runs every item, the last report has <c>Completed + Failed == Total</c>.
/// </summary>
/// <param name="Completed">Items whose worker returned a result.</param>
/// <param name="Failed">Items whose worker threw, crashed or timed out.</param>
/// <param name="Total">How many items the call has, or <see langword="null"/> while that is unknown (a lazy sequence not yet read to its end).</param>
/// <param name="Elapsed">Time since the call started.</param>
public readonly record struct MapProgress(int Completed, int Failed, int? Total, TimeSpan Elapsed)
{
    /// <summary>Items that are done either way: <see cref="Completed"/> + <see cref="Failed"/>.</summary>
    public int Done => Completed + Failed;

    /// <summary>The fraction done, from 0 to 1, or <see langword="null"/> while <see cref="Total"/> is unknown.</summary>
    public double? Fraction => Total switch
    {
        null => null,
        0 => 1.0,
        int total => (double)Done / total,
    };
}
