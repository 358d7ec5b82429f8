using System.Diagnostics;
using System.Globalization;

namespace ParallelGen.Benchmarks.Compare;

/// <summary>Runs the Python multiprocessing reference scripts (benchmarks/python) and collects their <c>metric value unit</c> lines.</summary>
internal static class PythonBaseline
{
    public static string? FindPython()
    {
        foreach (string? candidate in new[] { Environment.GetEnvironmentVariable("PYTHON"), "python3", "python" })
        {
            if (string.IsNullOrEmpty(candidate))
            {
                continue;
            }

            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, "-c \"import multiprocessing\"") { RedirectStandardOutput = true, RedirectStandardError = true });
                if (probe is not null && probe.WaitForExit(10_000) && probe.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        return null;
    }

    public static List<Measurement> Run(string python, string scriptsDirectory, string script, int repeats)
    {
        var info = new ProcessStartInfo(python, Path.Combine(scriptsDirectory, script + ".py"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = scriptsDirectory,
        };
        info.Environment["BENCH_REPEATS"] = repeats.ToString(CultureInfo.InvariantCulture);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {python}");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var results = new List<Measurement>();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                results.Add(new Measurement(parts[0], value, parts.Length > 2 ? parts[2] : ""));
            }
        }

        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Console.Error.WriteLine($"python {script}: timed out");
        }
        else if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"python {script}: exit code {process.ExitCode}: {stderr.Result.Trim()}");
        }

        return results;
    }
}
