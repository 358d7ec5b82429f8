using System.Globalization;
using System.Text;

namespace ParallelGen.Benchmarks.Compare;

/// <summary>Prints the side-by-side table and writes it into docs/performance.md between markers, leaving the page's other sections alone.</summary>
internal static class PerformanceReport
{
    private const string Begin = "<!-- compare:begin (written by benchmarks/Compare; edits inside are overwritten) -->";
    private const string End = "<!-- compare:end -->";

    public static string Table(IReadOnlyDictionary<string, Measurement> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | Python 3 (fork) | Parallel.Gen | Parallel.Gen advantage | goal | met |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (ComparisonRow row in ComparisonRow.All)
        {
            double? python = ComparisonRow.Best(results, row.PythonMetrics, row.HigherIsBetter);
            double? ours = ComparisonRow.Best(results, row.OurMetrics, row.HigherIsBetter);
            double? advantage = row.Advantage(results);
            string met = row.GoalFactor switch
            {
                _ when row.MinimumOurs > 0 => ours is { } least ? (least >= row.MinimumOurs ? "yes" : "no") : "-",
                0 when ours is { } o => o >= 1.9 ? "yes" : "no",
                0 => "-",
                _ when advantage is { } a => a >= row.GoalFactor ? "yes" : "no",
                _ => "-",
            };
            text.Append(CultureInfo.InvariantCulture, $"| {row.Workload} | {Format(python)} | {Format(ours)} | {(advantage is { } adv ? adv.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-")} | {row.Goal} | {met} |").AppendLine();
        }

        return text.ToString();
    }

    public static void Write(string path, IReadOnlyDictionary<string, Measurement> results, string machine, string? chartFile)
    {
        var section = new StringBuilder();
        section.AppendLine(Begin);
        section.AppendLine("## Side by side with Python's multiprocessing");
        section.AppendLine();
        section.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project benchmarks/Compare`, one run, both sides on the same machine: {machine}.");
        section.AppendLine("Pools of 2 workers; Python uses the fork start method. \"Advantage\" is how many times better Parallel.Gen did (for times and latencies: Python's value divided by ours).");
        section.AppendLine();
        section.Append(Table(results));
        section.AppendLine();
        if (chartFile is not null)
        {
            section.AppendLine(CultureInfo.InvariantCulture, $"![Map of 1M tiny tasks: throughput against chunk size]({chartFile})");
            section.AppendLine();
        }

        section.AppendLine("All measurements of this run:");
        section.AppendLine();
        section.AppendLine("```");
        foreach (Measurement m in results.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            section.AppendLine(m.ToString());
        }

        section.AppendLine("```");
        section.AppendLine(End);

        string existing = File.Exists(path) ? File.ReadAllText(path) : "# Performance\n\n";
        int begin = existing.IndexOf(Begin, StringComparison.Ordinal);
        int end = existing.IndexOf(End, StringComparison.Ordinal);
        string updated = begin >= 0 && end > begin
            ? existing[..begin] + section + existing[(end + End.Length)..].TrimStart('\n', '\r')
            : existing.TrimEnd() + "\n\n" + section;
        File.WriteAllText(path, updated);
    }

    private static string Format(double? value) => value switch
    {
        null => "-",
        >= 100_000 => value.Value.ToString("0.00e0", CultureInfo.InvariantCulture),
        >= 100 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
