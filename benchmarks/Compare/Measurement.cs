using System.Globalization;

namespace ParallelGen.Benchmarks.Compare;

/// <summary>One number from one side: a metric name as the Python scripts print them (<c>map_tiny.fork.chunk_10000_tps</c>), its value and unit.</summary>
internal sealed record Measurement(string Name, double Value, string Unit)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Value:G6} {Unit}");

    /// <summary>Median of the samples (the scripts' convention).</summary>
    public static Measurement Median(string name, IReadOnlyCollection<double> samples, string unit)
    {
        double[] sorted = [.. samples.Order()];
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new Measurement(name, median, unit);
    }
}
