using ParallelGen.Brokering;

namespace ParallelGen;

/// <summary>Creates pipes between processes (Python's <c>multiprocessing.Pipe()</c>).</summary>
public static class ProcessPipe
{
    /// <summary>
    /// Creates a two-way pipe and returns its two ends: what one sends, the other receives. Keep one end
    /// and pass the other to a <see cref="WorkerAttribute"/> method (<see cref="WorkerProcess"/> or a pool).
    /// <code>var (parentEnd, childEnd) = ProcessPipe.Create&lt;string&gt;();</code>
    /// </summary>
    /// <remarks>This process hosts the pipe; it lives until both ends are closed everywhere, or this process exits.</remarks>
    /// <typeparam name="T">The message type: anything a <see cref="WorkerAttribute"/> method can take.</typeparam>
    public static (PipeEnd<T>, PipeEnd<T>) Create<T>()
    {
        BrokerHandle handle = BrokerHandle.CreateLocal(BrokerOp.CreatePipe);
        return (new PipeEnd<T>(handle, 0), new PipeEnd<T>(handle, 1));
    }
}
