using System.Globalization;

namespace ParallelGen.Benchmarks;

/// <summary>
/// CPU time and context switches of every thread of a set of processes, from <c>/proc/&lt;pid&gt;/task/*/schedstat</c>
/// and <c>status</c>: where a workload's time goes (the parent's threads against the workers'), without a profiler.
/// </summary>
internal sealed class ThreadCpu
{
    private readonly Dictionary<(int Pid, int Tid), (string Name, long CpuNs, long Switches)> _sample = [];

    public static ThreadCpu Take(IEnumerable<int> pids)
    {
        var cpu = new ThreadCpu();
        foreach (int pid in pids)
        {
            string tasks = $"/proc/{pid}/task";
            if (!Directory.Exists(tasks))
            {
                continue;
            }

            foreach (string dir in Directory.EnumerateDirectories(tasks))
            {
                try
                {
                    int tid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                    string name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                    long cpuNs = long.Parse(File.ReadAllText(Path.Combine(dir, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                    long switches = 0;
                    foreach (string line in File.ReadLines(Path.Combine(dir, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            switches += long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                        }
                    }

                    cpu._sample[(pid, tid)] = (name, cpuNs, switches);
                }
                catch (IOException)
                {
                    // The thread ended between the listing and the read.
                }
            }
        }

        return cpu;
    }

    /// <summary>Per process (and its busiest threads): CPU µs and context switches per operation between <paramref name="before"/> and this sample.</summary>
    public string Since(ThreadCpu before, long operations, Func<int, string> label)
    {
        var lines = new List<string>();
        foreach (IGrouping<int, KeyValuePair<(int Pid, int Tid), (string Name, long CpuNs, long Switches)>> process in _sample.GroupBy(e => e.Key.Pid))
        {
            var threads = process.Select(e =>
            {
                before._sample.TryGetValue(e.Key, out var was);
                return (e.Value.Name, Cpu: e.Value.CpuNs - was.CpuNs, Switches: e.Value.Switches - was.Switches);
            }).Where(t => t.Cpu > 0 || t.Switches > 0).OrderByDescending(t => t.Cpu).ToList();
            lines.Add($"{label(process.Key)}: {threads.Sum(t => t.Cpu) / 1000.0 / operations:N4} µs CPU, {(double)threads.Sum(t => t.Switches) / operations:N2} switches per op");
            foreach (var t in threads.Take(6))
            {
                lines.Add($"    {t.Name,-24} {t.Cpu / 1000.0 / operations,8:N4} µs {(double)t.Switches / operations,8:N2} sw");
            }
        }

        return string.Join(Environment.NewLine, lines);
    }
}
