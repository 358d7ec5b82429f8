namespace ParallelGen.Protocol;

internal static class ProtocolConstants
{
    /// <summary>"PGEN" little-endian: the first bytes a worker sends; anything else is not one of ours.</summary>
    public const uint Magic = 0x4E454750;

    /// <summary>
    /// Bumped whenever a frame's layout changes (5: the broker's PostBatch; 6: a worker's rings are handed over at launch and
    /// its Hello says whether it mapped them, no TransportOffer follows it), so mismatched builds fail at the handshake.
    /// </summary>
    public const ushort Version = 6;

    public const int SecretLength = 32;

    /// <summary>Length prefix (4) + type (1).</summary>
    public const int HeaderLength = 5;

    /// <summary>Default cap on one frame: big data belongs in shared memory, and a corrupt length must not allocate gigabytes.</summary>
    public const int DefaultMaxFrameLength = 1 << 30;

    /// <summary>A Hello is small; a peer that sends more before proving itself is dropped.</summary>
    public const int MaxHelloLength = 4096;
}
