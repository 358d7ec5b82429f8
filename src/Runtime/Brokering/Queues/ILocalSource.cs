using System.Diagnostics.CodeAnalysis;

namespace ParallelGen.Brokering.Queues;

/// <summary>
/// A broker object of this process that a taker in this same process may take items from directly, without a request
/// (no reply object, no task, no lookup): a queue, or a pipe's ends. Only the plain case goes this way, an item that is
/// there; everything else (nothing there yet, completed, closed, disposed, misuse) is left to the request path, which
/// answers it as before.
/// </summary>
internal interface ILocalSource
{
    /// <summary>Takes the oldest item waiting at <paramref name="end"/> (a queue has only end 0) if there is one and nothing would refuse the request.</summary>
    bool TryTakeNow(int end, [NotNullWhen(true)] out byte[]? item);

    /// <summary>Whether a take at <paramref name="end"/> would find something to answer now (an item, or an ending), read without the object's lock: a hint for a taker deciding whether to keep spinning.</summary>
    bool IsReady(int end);
}
