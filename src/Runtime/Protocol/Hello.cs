using ParallelGen.Serialization;

namespace ParallelGen.Protocol;

/// <summary>The first frame a worker sends: who it is, and proof (the secret) that the pool started it.</summary>
internal sealed record Hello(byte[] Secret, int ProcessId, int WorkerIndex, string BuildId)
{
    public void Write(WireWriter writer)
    {
        writer.WriteUnmanaged(ProtocolConstants.Magic);
        writer.WriteUnmanaged(ProtocolConstants.Version);
        writer.WriteUnmanagedSpan<byte>(Secret);
        writer.WriteInt32(ProcessId);
        writer.WriteInt32(WorkerIndex);
        writer.WriteString(BuildId);
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
        reader.EnsureConsumed("Hello");
        return new Hello(secret, pid, index, buildId);
    }
}
