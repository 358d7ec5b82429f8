using System.Diagnostics;
using ParallelGen.Transport;

namespace ParallelGen.FrontEnd;

/// <summary>
/// A blocked <c>Apply</c> caller spins briefly on its own reply before it blocks: blocking means the reply thread must wake
/// it through the kernel (microseconds on an idle machine, a time slice on a busy one), while the reply to a small call
/// over shared memory is often only microseconds away.
/// </summary>
/// <remarks>
/// Same rules as the transport's own waits (<see cref="SpinPolicy"/>): the budget adapts to how long replies actually took,
/// is bounded in microseconds, and is skipped when the machine is busy or this process already has enough spinners
/// (<see cref="SpinGate"/>). One policy for all callers: concurrent callers race on its one number, which only makes the
/// estimate a little less exact.
/// </remarks>
internal static class ReplySpin
{
    private static readonly SpinPolicy s_policy = new();

    /// <summary>Spins until <paramref name="outcome"/> completes or the budget runs out; the caller then blocks as usual.</summary>
    public static void Wait(Task outcome)
    {
        long budget = s_policy.NextBudget();
        if (budget == 0 || !SpinGate.TryEnter())
        {
            return;
        }

        long started = Stopwatch.GetTimestamp();
        try
        {
            while (!outcome.IsCompleted)
            {
                if (Stopwatch.GetTimestamp() - started >= budget)
                {
                    // Not within reach this time: learn that it took at least this long (twice the budget: shrink).
                    s_policy.Observe(long.MaxValue);
                    return;
                }

                Thread.SpinWait(8);
            }

            s_policy.Observe(Stopwatch.GetTimestamp() - started);
        }
        finally
        {
            SpinGate.Leave();
        }
    }
}
