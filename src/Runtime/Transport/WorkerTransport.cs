namespace ParallelGen;

/// <summary>How frames travel between the pool and its worker processes (<see cref="ProcessPoolOptions.Transport"/>).</summary>
public enum WorkerTransport
{
    /// <summary>
    /// <see cref="SharedMemory"/> on Linux, <see cref="Socket"/> elsewhere. The environment variable
    /// <c>PARALLELGEN_TRANSPORT</c> (<c>shm</c> or <c>socket</c>) overrides this default, for A/B runs of a whole program.
    /// </summary>
    Auto = 0,

    /// <summary>
    /// A pair of shared-memory rings per worker (one each way) in memory only the two processes can map, with the worker's
    /// private Unix socket kept beside them to notice at once when either side dies. Request/response calls wait for far
    /// fewer system calls and wake-ups than over a socket. Linux only (it sleeps on futexes); elsewhere it means <see cref="Socket"/>.
    /// </summary>
    SharedMemory = 1,

    /// <summary>Every frame over the worker's private Unix socket: the transport of earlier versions, and the fallback.</summary>
    Socket = 2,
}
