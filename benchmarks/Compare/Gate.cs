namespace ParallelGen.Benchmarks.Compare;

/// <summary>
/// A start line in shared memory, Python's <c>Event</c> in the scripts: each child counts itself in and
/// waits; the parent waits until all are in, starts its clock and opens the gate (-1). Neither side spins
/// hard: the waits are outside the timed part, but the machine has only two cores.
/// </summary>
internal static class Gate
{
    private const int Open = -1;

    public static void Arrive(SharedValue<int> gate)
    {
        using (gate.Lock())
        {
            gate.Value++;
        }

        var spin = default(SpinWait);
        while (gate.Value != Open)
        {
            spin.SpinOnce(sleep1Threshold: 20);
        }
    }

    /// <summary>Waits until <paramref name="children"/> have arrived (or one of them has died), then opens the gate.</summary>
    public static void OpenWhenReady(SharedValue<int> gate, int children, params WorkerProcess[] processes)
    {
        var spin = default(SpinWait);
        while (gate.Value < children)
        {
            if (processes.Any(p => p.Completion.IsCompleted))
            {
                processes.First(p => p.Completion.IsCompleted).Completion.GetAwaiter().GetResult();
                throw new InvalidOperationException("A benchmark child finished before it reached the start line.");
            }

            spin.SpinOnce(sleep1Threshold: 20);
        }

        gate.Value = Open;
    }
}
