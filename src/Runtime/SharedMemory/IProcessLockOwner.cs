namespace ParallelGen.SharedMemory;

/// <summary>Something whose lock a <see cref="ProcessLockScope"/> releases: a lock, a shared value's block, a manager's lock.</summary>
internal interface IProcessLockOwner
{
    void ExitLock();
}