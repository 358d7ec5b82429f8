using ParallelGen.SharedMemory;

namespace ParallelGen.Synchronization;

/// <summary>
/// The shared memory behind one synchronization primitive: a <see cref="SharedMemoryBlock"/> whose
/// payload is sixteen 32-bit words (the futex words and counters of that primitive). Lifetime as
/// <see cref="SharedValue{T}"/>: the creator's Dispose removes the name, other processes just unmap.
/// </summary>
internal sealed unsafe class SyncMemory : ILockWords
{
    private const int WordCount = 16;

    private readonly string _typeName;
    private SharedMemoryBlock? _block;
    private int* _words;

    private SyncMemory(SharedMemoryBlock block, string typeName)
    {
        _block = block;
        _words = (int*)block.Payload;
        _typeName = typeName;
    }

    /// <summary>The backing file: what a handle carries.</summary>
    public string Path => Block.Path;

    public SharedMemoryKind Kind { get; private init; }

    public bool IsDisposed => _block is null;

    private SharedMemoryBlock Block => _block ?? throw Disposed();

    public static SyncMemory Create(SharedMemoryKind kind, string typeName) =>
        new(SharedMemoryBlock.Create(kind, sizeof(int), WordCount), typeName) { Kind = kind };

    public static SyncMemory Attach(string path, SharedMemoryKind kind, string typeName) =>
        new(SharedMemoryBlock.Attach(path, kind, sizeof(int), WordCount), typeName) { Kind = kind };

    /// <summary>The address of word <paramref name="index"/> (0-15), for interlocked operations and futexes.</summary>
    public int* Word(int index)
    {
        int* words = _words;
        return words != null ? words + index : throw Disposed();
    }

    /// <summary>The first word; for a <see cref="ProcessLock"/> or <see cref="ProcessRLock"/>, where its <see cref="FutexLock"/> starts.</summary>
    public int* LockWords => Word(0);

    /// <summary>Words <paramref name="index"/> and <paramref name="index"/> + 1 as one 64-bit value (index even: 8-byte aligned).</summary>
    public long* Pair(int index) => (long*)Word(index);

    public void Dispose()
    {
        SharedMemoryBlock? block = Interlocked.Exchange(ref _block, null);
        if (block is null)
        {
            return;
        }

        _words = null;
        block.Release();
    }

    private ObjectDisposedException Disposed() => new(_typeName, $"This {_typeName} was disposed.");
}
