using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Client;

/// <summary>
/// A thread's reusable <see cref="WireWriter"/> for the operands of one request (an item being put or sent): the bytes are
/// copied into the outgoing frame before the request returns, so they need no array of their own per item.
/// </summary>
internal static class ScratchWriter
{
    // Past this, a writer that grew for one big item is not kept for the thread's next small ones.
    private const int MaxKeptLength = 64 * 1024;

    [ThreadStatic]
    private static WireWriter? t_writer;

    /// <summary>An empty writer; give it back with <see cref="Return"/>. A codec that sends a request itself while writing gets a writer of its own.</summary>
    public static WireWriter Take()
    {
        WireWriter? writer = t_writer;
        if (writer is null)
        {
            return new WireWriter();
        }

        t_writer = null;
        writer.Reset();
        return writer;
    }

    public static void Return(WireWriter writer)
    {
        if (writer.Position > MaxKeptLength)
        {
            writer.Dispose();
            return;
        }

        t_writer = writer;
    }
}
