using System.ComponentModel;

namespace ParallelGen.Diagnostics;

/// <summary>
/// Where the pool finds the <see cref="IWorkerStackCapture"/> it uses for <see cref="ProcessPoolOptions.CaptureStacksOnTimeout"/>.
/// Referencing Parallel.Gen.Diagnostics registers one at start-up (the source generator emits the call); call
/// <see cref="Register"/> yourself only to plug in another.
/// </summary>
public static class WorkerStackCapture
{
    /// <summary>The package to add when nothing is registered, as the pool's log says.</summary>
    internal const string PackageName = "Parallel.Gen.Diagnostics";

    private static IWorkerStackCapture? s_current;

    /// <summary>Makes <paramref name="capture"/> the one every pool of this process uses. The last registration wins.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void Register(IWorkerStackCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        Volatile.Write(ref s_current, capture);
    }

    /// <summary>The registered capture, or <see langword="null"/>.</summary>
    internal static IWorkerStackCapture? Current => Volatile.Read(ref s_current);
}
