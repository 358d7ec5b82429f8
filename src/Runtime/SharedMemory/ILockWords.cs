namespace ParallelGen.SharedMemory;

/// <summary>
/// Where a <see cref="FutexLock"/> keeps its five words in shared memory: the payload of a
/// <c>ProcessLock</c>/<c>ProcessRLock</c>, or the header of a <see cref="SharedMemoryBlock"/>.
/// </summary>
internal unsafe interface ILockWords
{
    /// <summary>
    /// The address of the lock's first word; throws <see cref="ObjectDisposedException"/> once the memory is
    /// unmapped in this process, so a waiter never touches memory that is gone.
    /// </summary>
    int* LockWords { get; }
}