using System.Diagnostics;

namespace ParallelGen.Transport;

/// <summary>
/// How long a waiting side of a <see cref="SharedMemoryTransport"/> spins before it sleeps on its futex: spinning is a tool,
/// not a habit. One instance per waiting side (a ring's reader, a ring's writer), used by one thread at a time.
/// </summary>
/// <remarks>
/// <para>
/// A futex sleep and wake costs the two processes some microseconds each way (a system call, a context switch, often a
/// cold cache); a reply that arrives within a few microseconds is cheaper to wait for on the CPU. So a side spins only
/// as long as its recent history says the next frame is near:
/// </para>
/// <list type="bullet">
/// <item>Adaptive: the budget follows the waits this side actually saw. A wait that ended within reach (up to
/// <see cref="MaxSpin"/>) sets the budget to twice that wait; a wait that was longer halves it, so a side that waits long
/// (an idle worker, an idle reply reader) soon stops spinning at all and only sleeps. A tiny budget is retried now and
/// then (<see cref="ProbeEvery"/> waits) so a side whose traffic picked up finds out.</item>
/// <item>Bounded in microseconds: never more than <see cref="MaxSpin"/> per wait.</item>
/// <item>Never on a busy machine: no spin when the machine has a single core, when this process already has half the
/// cores spinning (<see cref="SpinGate"/>), or when more threads are runnable than there are cores
/// (<see cref="MachineLoad"/>): then the spinner would steal the very core the peer needs to produce the reply.</item>
/// </list>
/// An idle pool therefore costs nothing: every side sleeps in the kernel until a frame or the peer's death wakes it.
/// </remarks>
internal sealed class SpinPolicy
{
    /// <summary>The longest a side spins for one wait.</summary>
    public static readonly TimeSpan MaxSpin = TimeSpan.FromMicroseconds(50);

    /// <summary>PARALLELGEN_TRANSPORT_SPIN=0 turns spinning off (always sleep at once), for A/B measurements.</summary>
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("PARALLELGEN_TRANSPORT_SPIN") != "0";

    private const int ProbeEvery = 64;
    private static readonly long s_maxSpinTicks = (long)(MaxSpin.TotalSeconds * Stopwatch.Frequency);
    private static readonly long s_minUsefulTicks = Math.Max(1, Stopwatch.Frequency / 1_000_000); // 1 µs
    private static readonly long s_initialTicks = s_maxSpinTicks / 4;

    private long _budgetTicks = s_initialTicks;
    private int _waitsSinceProbe;

    /// <summary>The spin budget for the next wait, in <see cref="Stopwatch"/> ticks (0: go straight to sleep).</summary>
    public long NextBudget()
    {
        long budget = _budgetTicks;
        if (!Enabled)
        {
            return 0;
        }

        if (budget < s_minUsefulTicks)
        {
            if (++_waitsSinceProbe < ProbeEvery)
            {
                return 0;
            }

            _waitsSinceProbe = 0;
            budget = s_minUsefulTicks * 4;
        }

        return budget;
    }

    /// <summary>Learns from one finished wait of <paramref name="waitedTicks"/> (spinning and sleeping together).</summary>
    public void Observe(long waitedTicks)
    {
        _budgetTicks = waitedTicks <= s_maxSpinTicks ? Math.Min(s_maxSpinTicks, Math.Max(waitedTicks * 2, s_minUsefulTicks * 4)) : _budgetTicks / 2;
    }
}
