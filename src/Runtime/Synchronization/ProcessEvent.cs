using ParallelGen.Platform;
using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>
/// A flag processes wait on (Python's <c>multiprocessing.Event</c>, a manual-reset event): <see cref="Set"/>
/// releases every waiter, in every process, until <see cref="Clear"/>. Passable to a <see cref="WorkerAttribute"/>
/// method as a handle.
/// <code>
/// using var go = new ProcessEvent();
/// var p = WorkerProcess.Start(Jobs.WaitThenWork, go);   // the worker calls go.Wait()
/// go.Set();
/// </code>
/// </summary>
/// <remarks>
/// A futex on the flag in shared memory: waiters sleep in the kernel and <see cref="Set"/> wakes them all
/// with one system call (none when nobody waits). <see cref="WaitAsync(CancellationToken)"/> lets an event
/// join other waits in <see cref="Task.WhenAny(Task[])"/>.
/// </remarks>
[WireCodec(typeof(ProcessEventCodec))]
public sealed unsafe class ProcessEvent : IDisposable
{
    private const int FlagWord = 0;
    private const int WaitersWord = 1;
    private const int GenerationWord = 2;

    private readonly SyncMemory _memory;

    /// <summary>Creates an event in shared memory, not set (Python's <c>Event()</c>), or set when <paramref name="initiallySet"/>.</summary>
    public ProcessEvent(bool initiallySet = false)
        : this(SyncMemory.Create(SharedMemoryKind.Event, nameof(ProcessEvent)))
    {
        Volatile.Write(ref *_memory.Word(FlagWord), initiallySet ? 1 : 0);
    }

    internal ProcessEvent(SyncMemory memory)
    {
        _memory = memory;
    }

    /// <summary>Whether the event is set (Python's <c>is_set()</c>).</summary>
    public bool IsSet => Volatile.Read(ref *_memory.Word(FlagWord)) != 0;

    internal SyncMemory Memory => _memory;

    /// <summary>Sets the event and wakes every process and thread waiting on it (Python's <c>set()</c>).</summary>
    public void Set()
    {
        // Waiters sleep on the generation, not the flag: a Set followed at once by Clear still releases everyone
        // who was waiting (as a thread blocked in Python's wait() returns), instead of leaving them asleep.
        Interlocked.Exchange(ref *_memory.Word(FlagWord), 1);
        int* generation = _memory.Word(GenerationWord);
        Interlocked.Increment(ref *generation);
        if (Volatile.Read(ref *_memory.Word(WaitersWord)) > 0)
        {
            Futex.Wake(generation, int.MaxValue);
        }
    }

    /// <summary>Resets the event: later waits block until the next <see cref="Set"/> (Python's <c>clear()</c>).</summary>
    public void Clear() => Interlocked.Exchange(ref *_memory.Word(FlagWord), 0);

    /// <summary>Waits as long as it takes for the event to be set (Python's <c>wait()</c>).</summary>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public void Wait() => WaitCore(WaitTimeout.Infinite, default);

    /// <summary>Waits up to <paramref name="timeout"/> for the event to be set (Python's <c>wait(timeout)</c>).</summary>
    /// <returns><see langword="true"/> if it is set; <see langword="false"/> if the time ran out first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public bool Wait(TimeSpan timeout) => WaitCore(WaitTimeout.From(timeout), default);

    /// <summary>Completes when the event is set; the wait runs on a thread of its own (none when already set).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task WaitAsync(CancellationToken cancellationToken = default) =>
        IsSet ? Task.CompletedTask : AsyncWait.Run(token => WaitCore(WaitTimeout.Infinite, token), WakeAll, cancellationToken);

    /// <summary>Completes with <see langword="true"/> when the event is set, or <see langword="false"/> after <paramref name="timeout"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        WaitTimeout wait = WaitTimeout.From(timeout);
        return IsSet ? Task.FromResult(true) : AsyncWait.Run(token => WaitCore(wait, token), WakeAll, cancellationToken);
    }

    /// <summary>Unmaps the event in this process; in the process that created it, also removes its name.</summary>
    public void Dispose() => _memory.Dispose();

    /// <inheritdoc/>
    public override string ToString() => _memory.IsDisposed ? "ProcessEvent (disposed)" : IsSet ? "ProcessEvent (set)" : "ProcessEvent (not set)";

    private void WakeAll() => Futex.Wake(_memory.Word(GenerationWord), int.MaxValue);

    private bool WaitCore(WaitTimeout timeout, CancellationToken cancellationToken)
    {
        if (IsSet)
        {
            return true;
        }

        int* waiters = _memory.Word(WaitersWord);
        Interlocked.Increment(ref *waiters);
        int started = Volatile.Read(ref *_memory.Word(GenerationWord));
        try
        {
            while (true)
            {
                int generation = Volatile.Read(ref *_memory.Word(GenerationWord));
                if (IsSet || generation != started)
                {
                    return true;
                }

                if (timeout.Expired)
                {
                    return false;
                }

                cancellationToken.ThrowIfCancellationRequested();
                Futex.Wait(_memory.Word(GenerationWord), generation, timeout.NextSleep(cap: 1000));
            }
        }
        finally
        {
            Interlocked.Decrement(ref *waiters);
        }
    }
}
