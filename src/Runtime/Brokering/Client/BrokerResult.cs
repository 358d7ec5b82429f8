using System.Buffers.Binary;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Client;

/// <summary>A broker's answer as the caller sees it: a status and its bytes; errors become the .NET exception they stand for.</summary>
internal readonly record struct BrokerResult(BrokerStatus Status, byte[] Payload)
{
    public bool IsOk => Status == BrokerStatus.Ok;

    /// <summary>Throws the exception an error stands for; returns the result otherwise.</summary>
    public BrokerResult ThrowIfError()
    {
        if (Status != BrokerStatus.Error)
        {
            return this;
        }

        var reader = new WireReader(Payload);
        var kind = (BrokerErrorKind)reader.ReadByte();
        string message = reader.ReadString() ?? "The broker reported an error.";
        throw kind switch
        {
            BrokerErrorKind.ObjectDisposed => new ObjectDisposedException(null, message),
            BrokerErrorKind.EndOfStream => new EndOfStreamException(message),
            BrokerErrorKind.KeyNotFound => new KeyNotFoundException(message),
            BrokerErrorKind.ArgumentOutOfRange => new ArgumentOutOfRangeException("index", message),
            BrokerErrorKind.WireFormat => new WireFormatException(message),
            BrokerErrorKind.IO => new IOException(message),
            _ => new InvalidOperationException(message),
        };
    }

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(ThrowIfError().Payload);

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ThrowIfError().Payload);

    public bool ReadBoolean() => ThrowIfError().Payload is [not 0];
}
