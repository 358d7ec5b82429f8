using ParallelGen.Platform;
using ParallelGen.Serialization;
using ParallelGen.SharedMemory;
using ParallelGen.Synchronization;

namespace ParallelGen;

/// <summary>
/// A barrier for a fixed number of participants in any processes (Python's <c>multiprocessing.Barrier(parties)</c>,
/// .NET's <see cref="Barrier"/>): each <see cref="SignalAndWait()"/> waits until all
/// <see cref="ParticipantCount"/> participants have arrived, then all go on together and the barrier is ready
/// for the next phase. Passable to a <see cref="WorkerAttribute"/> method as a handle.
/// <code>
/// using var start = new ProcessBarrier(3);
/// // in each of 3 processes:
/// start.SignalAndWait();                                       // barrier.wait()
/// if (!start.SignalAndWait(TimeSpan.FromSeconds(5))) { ... }    // a participant never came
/// </code>
/// </summary>
/// <remarks>
/// <para>
/// A timeout works as in .NET's <see cref="Barrier"/>, not as Python's: <see cref="SignalAndWait(TimeSpan)"/>
/// returns <see langword="false"/> and takes its signal back, so the barrier stays usable and the others keep
/// waiting for a full set (Python instead breaks the barrier and raises <c>BrokenBarrierError</c> in every
/// waiter). If a participant's process dies, the others see it as that: a timeout.
/// </para>
/// <para>
/// Its shared memory holds one 64-bit word: the phase number and how many have arrived in it, changed with
/// one compare-and-swap, so a signal and a withdrawal never race. Waiters sleep on a futex on the phase; the
/// last to arrive starts the next phase and wakes them all with one system call.
/// </para>
/// </remarks>
[WireCodec(typeof(ProcessBarrierCodec))]
public sealed unsafe class ProcessBarrier : IDisposable
{
    private const int StateWord = 0; // as one little-endian 64-bit word: low 32 bits, arrived in this phase; high 32 bits (word 1), the phase
    private const int PhaseWord = 1;
    private const int ParticipantsWord = 2;

    private readonly SyncMemory _memory;

    /// <summary>Creates a barrier for <paramref name="participantCount"/> participants (Python's <c>Barrier(parties)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="participantCount"/> &lt; 1.</exception>
    public ProcessBarrier(int participantCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(participantCount, 1);
        _memory = SyncMemory.Create(SharedMemoryKind.Barrier, nameof(ProcessBarrier));
        Volatile.Write(ref *_memory.Word(ParticipantsWord), participantCount);
    }

    internal ProcessBarrier(SyncMemory memory)
    {
        _memory = memory;
    }

    /// <summary>How many participants each phase needs (Python's <c>parties</c>).</summary>
    public int ParticipantCount => Volatile.Read(ref *_memory.Word(ParticipantsWord));

    /// <summary>How many have not yet arrived in the current phase (a snapshot; Python's <c>parties - n_waiting</c>).</summary>
    public int ParticipantsRemaining => ParticipantCount - (int)(Volatile.Read(ref *_memory.Pair(StateWord)) & 0xFFFF_FFFF);

    /// <summary>The current phase: 0 at first, one more each time all participants arrived.</summary>
    public long CurrentPhaseNumber => (uint)Volatile.Read(ref *_memory.Word(PhaseWord));

    internal SyncMemory Memory => _memory;

    /// <summary>Signals arrival and waits as long as it takes for the others (Python's <c>wait()</c>).</summary>
    /// <exception cref="ObjectDisposedException">This object was disposed.</exception>
    public void SignalAndWait() => SignalAndWait(Timeout.InfiniteTimeSpan);

    /// <summary>Signals arrival and waits up to <paramref name="timeout"/> for the others.</summary>
    /// <returns><see langword="true"/> if all arrived; <see langword="false"/> if the time ran out (the signal is withdrawn).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public bool SignalAndWait(TimeSpan timeout)
    {
        WaitTimeout wait = WaitTimeout.From(timeout);
        int participants = ParticipantCount;
        long* state = _memory.Pair(StateWord);
        uint phase;
        while (true)
        {
            long current = Volatile.Read(ref *state);
            phase = (uint)(current >> 32);
            int arrived = (int)(current & 0xFFFF_FFFF);
            bool last = arrived + 1 >= participants;
            long next = last ? (long)(phase + 1) << 32 : ((long)phase << 32) | (uint)(arrived + 1);
            if (Interlocked.CompareExchange(ref *state, next, current) == current)
            {
                if (last)
                {
                    Futex.Wake(_memory.Word(PhaseWord), int.MaxValue);
                    return true;
                }

                break;
            }
        }

        int* phaseWord = _memory.Word(PhaseWord);
        while (true)
        {
            if ((uint)Volatile.Read(ref *phaseWord) != phase)
            {
                return true;
            }

            if (wait.Expired)
            {
                // Take the signal back, unless the phase completed meanwhile (then this participant made it).
                long current = Volatile.Read(ref *state);
                if ((uint)(current >> 32) != phase)
                {
                    return true;
                }

                if (Interlocked.CompareExchange(ref *state, current - 1, current) == current)
                {
                    return false;
                }

                continue;
            }

            Futex.Wait(phaseWord, (int)phase, wait.NextSleep(cap: 1000));
        }
    }

    /// <summary>Unmaps the barrier in this process; in the process that created it, also removes its name.</summary>
    public void Dispose() => _memory.Dispose();

    /// <inheritdoc/>
    public override string ToString() => _memory.IsDisposed ? "ProcessBarrier (disposed)" : $"ProcessBarrier (phase {CurrentPhaseNumber}, {ParticipantsRemaining} of {ParticipantCount} to arrive)";
}
