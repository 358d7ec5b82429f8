using System.Diagnostics;
using System.Globalization;

namespace ParallelGen.Benchmarks;

/// <summary>
/// <c>--stream queue|pipe COUNT</c>: Compare's queue_throughput as one long steady stream (a <see cref="WorkerProcess"/>
/// puts or sends COUNT small ints after a warm-up, this process takes them), printing the rate and where the time went:
/// CPU time and voluntary sleeps (context switches) per message for every thread of both processes that worked, read
/// from <c>/proc/PID/task/*/schedstat</c> and <c>status</c> before and after. On a loaded machine the rate moves with
/// the load; CPU and sleeps per message are what a change moves.
/// </summary>
internal static class StreamProfile
{
    private const int Warmup = 20_000;

    public static int Run(string kind, int count)
    {
        using var gate = new SharedValue<int>(0);
        WorkerProcess child;
        Func<int> take;
        IDisposable? owned;
        if (kind == "queue")
        {
            var queue = new ProcessQueue<int>();
            owned = queue;
            child = WorkerProcess.Start(Workers.StreamPuts, queue, gate, Warmup, count);
            take = queue.Get;
        }
        else
        {
            var (parentEnd, childEnd) = ProcessPipe.Create<int>();
            owned = parentEnd;
            child = WorkerProcess.Start(Workers.StreamSends, childEnd, gate, Warmup, count);
            childEnd.Dispose();
            take = parentEnd.Receive;
        }

        using (owned)
        {
            while (gate.Value == 0)
            {
                Thread.Sleep(1);
            }

            for (int i = 0; i < Warmup; i++)
            {
                take();
            }

            Dictionary<string, (long Cpu, long Sleeps)> before = Snapshot(child.Pid);
            long t0 = Stopwatch.GetTimestamp();
            gate.Value = 2;
            long sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += take();
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(t0);
            Dictionary<string, (long Cpu, long Sleeps)> after = Snapshot(child.Pid);
            child.Join();
            if (sum != (long)count * (count - 1) / 2)
            {
                throw new InvalidOperationException("stream: wrong sum");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind}: {count / elapsed.TotalSeconds:N0} msgs/s, {elapsed.TotalNanoseconds / count:N0} ns/msg elapsed"));
            double cpuTotal = 0;
            foreach ((string name, (long cpu, long sleeps)) in after.OrderBy(p => p.Key))
            {
                (long cpu0, long sleeps0) = before.GetValueOrDefault(name);
                double cpuPerMessage = (cpu - cpu0) / (double)count;
                if (cpuPerMessage < 5)
                {
                    continue;
                }

                cpuTotal += cpuPerMessage;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-48} {cpuPerMessage,7:N0} ns CPU/msg  {(sleeps - sleeps0) / (double)count,7:N4} sleeps/msg"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"total",-48} {cpuTotal,7:N0} ns CPU/msg"));
        }

        return 0;
    }

    private static Dictionary<string, (long Cpu, long Sleeps)> Snapshot(int child) =>
        new(Threads(Environment.ProcessId, "parent").Concat(Threads(child, "child")));

    private static IEnumerable<KeyValuePair<string, (long, long)>> Threads(int pid, string process)
    {
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            string tid = Path.GetFileName(task);
            string name;
            long cpu;
            long sleeps = 0;
            try
            {
                name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                cpu = long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        sleeps = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                continue;
            }

            yield return new($"{process} {tid} {name}", (cpu, sleeps));
        }
    }
}
