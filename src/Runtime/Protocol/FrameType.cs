namespace ParallelGen.Protocol;

/// <summary>The kinds of frame on a parent/worker channel. Values never change meaning; new kinds get new values.</summary>
internal enum FrameType : byte
{
    /// <summary>Worker → parent, first frame: magic, protocol version, secret, pid, slot, build id.</summary>
    Hello = 1,

    /// <summary>Parent → worker: request id, worker id, item count, arguments.</summary>
    Run = 2,

    /// <summary>Worker → parent: request id, per-item results and failures.</summary>
    Result = 3,

    /// <summary>Worker → parent: request id, the reason the whole chunk failed (unknown worker id, unreadable arguments).</summary>
    Fault = 4,

    /// <summary>Parent → worker: finish what you have, say goodbye, exit.</summary>
    Shutdown = 5,

    /// <summary>Worker → parent: I am exiting on purpose (after Shutdown or recycling); not a crash.</summary>
    Goodbye = 6,

    /// <summary>Parent → worker: request id of a running chunk whose caller cancelled; the worker cancels the token the chunk runs with.</summary>
    Cancel = 7,

    /// <summary>Worker → parent: request id, item index within the chunk, elapsed milliseconds: an item overran the task timeout; the parent kills and replaces the worker.</summary>
    TimedOut = 8,

    /// <summary>Parent → worker: laid out as <see cref="Run"/>; the pool's initializer, run once before the first task and outside the task timeout.</summary>
    Initialize = 9,

    /// <summary>
    /// Parent → worker: a <see cref="Run"/> that carries the caller's trace context: request id, worker id, item count,
    /// then one length byte and that many ASCII bytes of a W3C <c>traceparent</c>, then the arguments. Sent instead of
    /// <see cref="Run"/> only when the chunk is traced, so untraced chunks cost nothing extra.
    /// </summary>
    RunTraced = 10,

    /// <summary>
    /// Parent → worker, empty body: another worker is idle; give back the chunks you hold but have not started. The
    /// worker answers with <see cref="Returned"/> (possibly naming none). A queued chunk is either started or returned,
    /// never both.
    /// </summary>
    Reclaim = 11,

    /// <summary>
    /// Worker → parent: chunks it held but will never start: one byte (0: the answer to a <see cref="Reclaim"/>, 1: the
    /// answer to a <see cref="Cancel"/> of a chunk still queued), an item count, then that many request ids (8 bytes each).
    /// </summary>
    Returned = 12,

    /// <summary>
    /// Creator → peer, over the socket right after the handshake: the path and ring capacity of a shared-memory region
    /// the peer should map and from then on exchange frames through (see <c>Transport.SharedMemoryTransport</c>).
    /// </summary>
    TransportOffer = 13,

    /// <summary>Peer → creator, over the socket, empty body: the offered region is mapped; the creator unlinks its name and both sides switch to the rings.</summary>
    TransportAccept = 14,

    // 32 and up: the object broker behind ProcessQueue, PipeEnd and Manager (its own connections, never a pool channel).

    /// <summary>Client → broker: request id, operation, object id, operands.</summary>
    BrokerRequest = 32,

    /// <summary>Broker → client: request id, status, result.</summary>
    BrokerReply = 33,

    /// <summary>Broker → client over TCP: a random challenge the client must answer with the authentication key.</summary>
    AuthChallenge = 34,

    /// <summary>Either way: the answer to a challenge (and the client's own challenge); an empty body acknowledges a Hello.</summary>
    AuthResponse = 35,

    /// <summary>Parent → manager process: the network endpoint (if any) and authentication key to serve with.</summary>
    ManagerConfigure = 36,

    /// <summary>Manager process → parent: serving; the endpoints it listens on.</summary>
    ManagerReady = 37,
}
