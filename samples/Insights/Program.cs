// Insights: maps an uneven workload, then shows where the time went (ProcessPool.GetInsights): per worker process its tasks,
// work, (de)serialization, waiting and start-up, and the slowest items; as a Spectre.Console table and as a ScottPlot PNG.
// Run: dotnet run --project samples/Insights [-- chart.png]
using System.Globalization;
using ParallelGen;
using ScottPlot;
using Color = ScottPlot.Color;
using Spectre.Console;

string chart = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "insights.png");
using var pool = new ProcessPool(new ProcessPoolOptions { Processes = 4 });

// Uneven on purpose: most items take 10-30 ms, every tenth 120 ms, and item 42 most of a second.
int[] done = pool.Map(Work.Uneven, Enumerable.Range(0, 60), chunkSize: 1);
PoolInsights insights = pool.GetInsights();

var workers = new Table().Title($"Where {insights.Tasks} tasks' time went in {Ms(insights.Elapsed)}").RoundedBorder();
foreach (string column in new[] { "Worker", "Process", "Tasks", "Work", "(De)serialization", "Waiting", "Start-up" })
{
    workers.AddColumn(new TableColumn(column).RightAligned());
}

foreach (WorkerInsights w in insights.Workers.OrderBy(w => w.WorkerIndex))
{
    workers.AddRow(
        w.WorkerIndex.ToString(CultureInfo.InvariantCulture),
        w.ProcessId.ToString(CultureInfo.InvariantCulture),
        w.Tasks.ToString(CultureInfo.InvariantCulture),
        Ms(w.WorkTime),
        Ms(w.SerializationTime),
        Ms(w.WaitTime),
        Ms(w.StartupTime));
}

var slowest = new Table().Title("Slowest items").RoundedBorder().AddColumns("Item", "Took", "Worker method", "Process");
foreach (SlowItem item in insights.SlowestItems.Take(5))
{
    slowest.AddRow(item.ItemIndex.ToString(CultureInfo.InvariantCulture), Ms(item.Duration), Markup.Escape(item.WorkerName), item.ProcessId.ToString(CultureInfo.InvariantCulture));
}

AnsiConsole.Write(workers);
AnsiConsole.Write(slowest);
Chart.Save(insights, chart);
Console.WriteLine($"Chart: {chart}");
Console.WriteLine($"The slowest item was {insights.SlowestItems[0].ItemIndex}");
Console.WriteLine(done.SequenceEqual(Enumerable.Range(0, 60)) && insights.Tasks == 60 ? "OK" : "FAILED");

static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString("N1", CultureInfo.InvariantCulture) + " ms";

internal static class Work
{
    /// <summary>Sleeps as long as its item says (standing in for uneven real work: parsing files of different sizes, say).</summary>
    [Worker]
    public static int Uneven(int item)
    {
        Thread.Sleep(item == 42 ? 700 : item % 10 == 7 ? 120 : 10 + (item % 5 * 5));
        return item;
    }
}

/// <summary>One horizontal bar per worker process: start-up, work, (de)serialization and waiting, stacked, in milliseconds.</summary>
internal static class Chart
{
    public static void Save(PoolInsights insights, string path)
    {
        var plot = new Plot();
        (string Name, Color Color, Func<WorkerInsights, TimeSpan> Part)[] parts =
        [
            ("start-up", Colors.Gray, w => w.StartupTime),
            ("work", Colors.SteelBlue, w => w.WorkTime),
            ("(de)serialization", Colors.Orange, w => w.SerializationTime),
            ("waiting", Colors.LightGreen, w => w.WaitTime),
        ];

        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        WorkerInsights[] workers = [.. insights.Workers.OrderByDescending(w => w.WorkerIndex)];
        double longest = 0;
        for (int i = 0; i < workers.Length; i++)
        {
            WorkerInsights worker = workers[i];
            double at = 0;
            foreach ((_, Color color, Func<WorkerInsights, TimeSpan> part) in parts)
            {
                double ms = part(worker).TotalMilliseconds;
                bars.Add(new Bar { Position = i, ValueBase = at, Value = at + ms, FillColor = color, LineWidth = 0 });
                at += ms;
            }

            longest = Math.Max(longest, at);
            ticks.Add(new Tick(i, $"worker {worker.WorkerIndex}\npid {worker.ProcessId}\n{worker.Tasks} tasks"));
        }

        var plot1 = plot.Add.Bars(bars);
        plot1.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        foreach ((string name, Color color, _) in parts)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = color });
        }

        SlowItem slowest = insights.SlowestItems[0];
        plot.Title($"Map of {insights.Tasks} uneven tasks on {insights.Workers.Count} worker processes (slowest: item {slowest.ItemIndex}, {slowest.Duration.TotalMilliseconds:N0} ms)");
        plot.XLabel("milliseconds");
        plot.Axes.SetLimitsX(0, longest * 1.3);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 520);
    }
}
