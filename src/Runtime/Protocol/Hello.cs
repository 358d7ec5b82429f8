using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>
/// The first frame a worker sends: who it is, proof (the secret) that the pool started it, and whether it mapped the
/// shared-memory rings its parent handed it at launch (<paramref name="OnRings"/>): then every later frame, both ways, goes
/// through them, and the parent follows without a further round trip.
/// </summary>
internal sealed record Hello(byte[] Secret, int ProcessId, int WorkerIndex, string BuildId, bool OnRings = false)
{
    public void Write(WireWriter writer)
    {
        writer.WriteUnmanaged(ProtocolConstants.Magic);
        writer.WriteUnmanaged(ProtocolConstants.Version);
        writer.WriteUnmanagedSpan<byte>(Secret);
        writer.WriteInt32(ProcessId);
        writer.WriteInt32(WorkerIndex);
        writer.WriteString(BuildId);
        writer.WriteUnmanaged(OnRings ? (byte)1 : (byte)0);
    }

    public static Hello Read(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        uint magic = reader.ReadUnmanaged<uint>();
        if (magic != ProtocolConstants.Magic)
        {
            throw new InvalidDataException("The peer is not a Parallel.Gen worker (bad magic in its first frame).");
        }

        ushort version = reader.ReadUnmanaged<ushort>();
        if (version != ProtocolConstants.Version)
        {
            throw new InvalidDataException($"The worker speaks protocol version {version}, this pool speaks {ProtocolConstants.Version}: the worker binary and the host were built with different Parallel.Gen versions.");
        }

        byte[] secret = reader.ReadBytes(ProtocolConstants.SecretLength, "secret").ToArray();
        int pid = reader.ReadInt32();
        int index = reader.ReadInt32();
        string buildId = reader.ReadString() ?? "";
        byte onRings = reader.ReadUnmanaged<byte>();
        if (onRings > 1)
        {
            throw new InvalidDataException($"The worker's Hello says {onRings} about its rings; only 0 (socket) or 1 (mapped) is defined.");
        }

        reader.EnsureConsumed("Hello");
        return new Hello(secret, pid, index, buildId, onRings == 1);
    }
}
