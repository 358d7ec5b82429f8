using ParallelGen.SharedMemory;

namespace ParallelGen;

/// <summary>
/// A held cross-process lock; disposing releases it. Returned by <c>Lock()</c> so that
/// <c>using (counter.Lock()) counter.Value += 1;</c> reads like C#'s <c>lock</c> statement.
/// </summary>
public readonly struct ProcessLockScope : IDisposable, IEquatable<ProcessLockScope>
{
    private readonly IProcessLockOwner? _owner;

    internal ProcessLockScope(IProcessLockOwner owner)
    {
        _owner = owner;
    }

    /// <summary>Releases the lock (once per <c>Lock()</c> call).</summary>
    public void Dispose() => _owner?.ExitLock();

    /// <inheritdoc/>
    public bool Equals(ProcessLockScope other) => ReferenceEquals(_owner, other._owner);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ProcessLockScope other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _owner?.GetHashCode() ?? 0;

    /// <summary>Whether both scopes release the same lock.</summary>
    public static bool operator ==(ProcessLockScope left, ProcessLockScope right) => left.Equals(right);

    /// <summary>Whether the scopes release different locks.</summary>
    public static bool operator !=(ProcessLockScope left, ProcessLockScope right) => !left.Equals(right);
}