namespace ParallelGen.Benchmarks.Compare;

/// <summary>Throughput of Map over 1M tiny tasks against chunk size, both sides, as a PNG.</summary>
internal static class ChunkChart
{
    public static void Write(string path, IReadOnlyDictionary<string, Measurement> results)
    {
        var plot = new ScottPlot.Plot();
        AddSeries(plot, results, "map_tiny.parallelgen.chunk_", "Parallel.Gen");
        AddSeries(plot, results, "map_chunks.fork.chunk_", "Python 3 multiprocessing (fork)");
        plot.Title("Map of 1M tiny tasks, pool of 2: throughput vs chunk size");
        plot.XLabel("chunk size (log10)");
        plot.YLabel("million tasks per second");
        plot.ShowLegend();
        plot.SavePng(path, 900, 520);
    }

    private static void AddSeries(ScottPlot.Plot plot, IReadOnlyDictionary<string, Measurement> results, string prefix, string label)
    {
        var points = results.Values
            .Where(m => m.Name.StartsWith(prefix, StringComparison.Ordinal) && m.Name.EndsWith("_tps", StringComparison.Ordinal))
            .Select(m => (Size: int.TryParse(m.Name[prefix.Length..^4], System.Globalization.CultureInfo.InvariantCulture, out int s) ? s : 0, m.Value))
            .Where(p => p.Size > 0)
            .OrderBy(p => p.Size)
            .ToArray();
        if (points.Length == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(points.Select(p => Math.Log10(p.Size)).ToArray(), points.Select(p => p.Value / 1e6).ToArray());
        scatter.LegendText = label;
    }
}
