namespace ParallelGen.Transport;

/// <summary>
/// Admits a thread of this process to spin only while fewer than half the machine's cores are already spinning here and
/// the machine is not busy (<see cref="MachineLoad"/>): a pool of many workers must not turn its reply readers into a
/// room full of spinning threads.
/// </summary>
internal static class SpinGate
{
    private static readonly int s_maxSpinners = Environment.ProcessorCount / 2;
    private static int s_spinners;

    /// <summary>True when the caller may spin now; it must then call <see cref="Leave"/> when it stops.</summary>
    public static bool TryEnter()
    {
        if (s_maxSpinners < 1 || MachineLoad.IsBusy)
        {
            return false;
        }

        if (Interlocked.Increment(ref s_spinners) <= s_maxSpinners)
        {
            return true;
        }

        Interlocked.Decrement(ref s_spinners);
        return false;
    }

    public static void Leave() => Interlocked.Decrement(ref s_spinners);
}
