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
}
