using System.Buffers;

namespace ParallelGen.Execution;

/// <summary>
/// The bytes a worker sent back for a <see cref="ChunkRequest"/>: either the chunk's results (per-item
/// values and failures) or, when <see cref="IsFault"/>, why the whole chunk could not run.
/// Owns a pooled buffer: dispose it after decoding.
/// </summary>
public sealed class ChunkReply : IDisposable
{
    private byte[]? _buffer;
    private readonly int _offset;
    private readonly bool _pooled;

    /// <summary>Wraps reply bytes. When <paramref name="pooled"/>, the buffer came from <see cref="ArrayPool{T}.Shared"/> and is returned on <see cref="Dispose"/>.</summary>
    public ChunkReply(byte[] buffer, int offset, int length, bool isFault, int workerProcessId, bool pooled)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, buffer.Length - offset);
        _buffer = buffer;
        _offset = offset;
        Length = length;
        IsFault = isFault;
        WorkerProcessId = workerProcessId;
        _pooled = pooled;
    }

    /// <summary><see langword="true"/> when the chunk failed as a whole (unknown worker, unreadable arguments); the body is the error.</summary>
    public bool IsFault { get; }

    /// <summary>The process that ran the chunk (0 when not a local process).</summary>
    public int WorkerProcessId { get; }

    /// <summary>Length of the body.</summary>
    public int Length { get; }

    /// <summary>The reply body.</summary>
    public ReadOnlySpan<byte> Body => (_buffer ?? throw new ObjectDisposedException(nameof(ChunkReply))).AsSpan(_offset, Length);

    /// <inheritdoc/>
    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
