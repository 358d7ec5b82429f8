// ProgressBar: a long Map over worker processes draws a live Spectre.Console progress bar from its MapProgress reports.
// Run: dotnet run --project samples/ProgressBar [-- items]
using System.Globalization;
using ParallelGen;
using Spectre.Console;

int items = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
using var pool = new ProcessPool();

long[] counts = [];
await AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
    .StartAsync(async context =>
    {
        ProgressTask bar = context.AddTask($"Counting primes on {pool.Processes} workers", maxValue: items);

        // Reports arrive throttled (a few per second) on the pool's threads; Spectre's tasks are thread-safe.
        var progress = new ProgressCallback(p =>
        {
            bar.MaxValue = p.Total ?? items;
            bar.Value = p.Done;
            bar.Description = p.Failed == 0 ? $"{p.Completed:N0} of {p.Total?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"} done" : $"{p.Completed:N0} done, [red]{p.Failed:N0} failed[/]";
        });

        counts = await pool.MapAsync(Work.CountPrimes, Enumerable.Range(1, items).Select(i => 20_000 + (i * 10)), chunkSize: 16, progress: progress);
    });

AnsiConsole.MarkupLine($"[green]Done:[/] {counts.Length:N0} items, {counts.Sum():N0} primes in total.");

/// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool, possibly after the call returned).</summary>
internal sealed class ProgressCallback(Action<MapProgress> onReport) : IProgress<MapProgress>
{
    public void Report(MapProgress value) => onReport(value);
}

internal static class Work
{
    /// <summary>Counts primes below <paramref name="limit"/> by trial division: deliberately CPU-bound.</summary>
    [Worker]
    public static long CountPrimes(int limit)
    {
        long count = 0;
        for (int n = 2; n < limit; n++)
        {
            bool prime = true;
            for (int d = 2; d * d <= n; d++)
            {
                if (n % d == 0)
                {
                    prime = false;
                    break;
                }
            }

            if (prime)
            {
                count++;
            }
        }

        return count;
    }
}
