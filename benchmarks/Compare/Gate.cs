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

    /// <summary>Waits until <paramref name="children"/> have arrived; throws if one of them finished (or failed) first.</summary>
    public static void WaitForArrivals(SharedValue<int> gate, int children, params WorkerProcess[] processes)
    {
        var spin = default(SpinWait);
        while (gate.Value < children)
        {
            if (processes.FirstOrDefault(p => p.Completion.IsCompleted) is { } early)
            {
                early.Completion.GetAwaiter().GetResult();
                throw new InvalidOperationException("A benchmark child finished before it reached the start line.");
            }

            spin.SpinOnce(sleep1Threshold: 20);
        }
    }

    public static void Release(SharedValue<int> gate) => gate.Value = Open;

    /// <summary>Waits until <paramref name="children"/> have arrived, then opens the gate.</summary>
    public static void OpenWhenReady(SharedValue<int> gate, int children, params WorkerProcess[] processes)
    {
        WaitForArrivals(gate, children, processes);
        Release(gate);
    }
}
