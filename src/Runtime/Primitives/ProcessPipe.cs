using ParallelGen.Brokering.Client;
using ParallelGen.Primitives;
using ParallelGen.Protocol;

namespace ParallelGen;

/// <summary>Creates pipes between processes (Python's <c>multiprocessing.Pipe()</c>).</summary>
public static class ProcessPipe
{
    /// <summary>
    /// Creates a pipe and returns its two ends: what one sends, the other receives. Keep one end and pass
    /// the other to a <see cref="WorkerAttribute"/> method (<see cref="WorkerProcess"/> or a pool).
    /// <code>
    /// var (parentEnd, childEnd) = ProcessPipe.Create&lt;string&gt;();              // two-way
    /// var (reader, writer) = ProcessPipe.Create&lt;string&gt;(duplex: false);     // one-way: Pipe(duplex=False) -> (r, w)
    /// </code>
    /// </summary>
    /// <remarks>This process hosts the pipe; it lives until both ends are closed everywhere, or this process exits.</remarks>
    /// <param name="duplex">
    /// <see langword="true"/> (the default): both ends send and receive. <see langword="false"/>: the first end only
    /// receives and the second only sends; using an end the wrong way throws <see cref="InvalidOperationException"/>.
    /// </param>
    /// <typeparam name="T">The message type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
    public static (PipeEnd<T>, PipeEnd<T>) Create<T>(bool duplex = true)
    {
        BrokerHandle handle = BrokerHandle.CreateLocal(BrokerOp.CreatePipe);
        return duplex
            ? (new PipeEnd<T>(handle, 0), new PipeEnd<T>(handle, 1))
            : (new PipeEnd<T>(handle, 0, PipeDirection.ReceiveOnly), new PipeEnd<T>(handle, 1, PipeDirection.SendOnly));
    }
}
