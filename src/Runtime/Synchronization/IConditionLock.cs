using ParallelGen.SharedMemory;

namespace ParallelGen.Synchronization;

/// <summary>What <see cref="ProcessCondition"/> needs of its lock: to let go of it completely while waiting, and to take it back.</summary>
internal interface IConditionLock
{
    SyncMemory Memory { get; }

    SharedMemoryKind Kind { get; }

    /// <summary>Whether the caller may wait or notify: it holds the lock (for <see cref="ProcessLock"/>: this process does).</summary>
    bool IsHeldByCaller { get; }

    /// <summary>Releases every level the caller holds; returns what <see cref="Reacquire"/> needs to restore them.</summary>
    int ReleaseAll();

    void Reacquire(int saved);

    void Acquire();

    bool Acquire(TimeSpan timeout);

    void Release();

    void Dispose();
}
