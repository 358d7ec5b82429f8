using ParallelGen;

namespace SeparateWorker.Contracts;

/// <summary>The work both sides agree on: the host calls these, the worker binary runs them.</summary>
public static class Imaging
{
    /// <summary>A stand-in for a CPU-heavy or crash-prone native call: blurs a row of pixels.</summary>
    [Worker]
    public static byte[] BlurRow(byte[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var result = new byte[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            int left = row[Math.Max(i - 1, 0)], right = row[Math.Min(i + 1, row.Length - 1)];
            result[i] = (byte)((left + (2 * row[i]) + right) / 4);
        }

        return result;
    }

    /// <summary>Reports which executable ran the call and whether it is Native AOT.</summary>
    [Worker]
    public static (string ProcessPath, bool NativeAot, int Pid) WhoAmI(int _) =>
        (Environment.ProcessPath ?? "?", !System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported, Environment.ProcessId);
}
