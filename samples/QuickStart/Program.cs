// QuickStart: map a CPU-bound function over inputs in worker processes, and compare with a plain loop.
using System.Diagnostics;
using ParallelGen;

int[] inputs = Enumerable.Range(1, 64).Select(i => 200_000 + i).ToArray();
int processes = Math.Max(2, Environment.ProcessorCount);

var serialClock = Stopwatch.StartNew();
long serialChecksum = inputs.Select(Work.CountPrimes).Select(r => (long)r.Primes).Sum();
serialClock.Stop();

using var pool = new ProcessPool(processes);
pool.Map(Work.CountPrimes, [1, 2]); // the first call waits for the workers to start
var poolClock = Stopwatch.StartNew();
(int Primes, int WorkerPid)[] results = pool.Map(Work.CountPrimes, inputs);
poolClock.Stop();

long checksum = results.Sum(r => (long)r.Primes);
var pids = results.Select(r => r.WorkerPid).Distinct().Order().ToArray();
Console.WriteLine($"parent pid {Environment.ProcessId}; workers that did the work: {string.Join(", ", pids)}");
Console.WriteLine($"checksum {checksum} (serial {serialChecksum}) {(checksum == serialChecksum ? "OK" : "MISMATCH")}");
Console.WriteLine($"serial loop {serialClock.Elapsed.TotalMilliseconds:N0} ms, pool of {processes} {poolClock.Elapsed.TotalMilliseconds:N0} ms, speed-up {serialClock.Elapsed / poolClock.Elapsed:N2}x");

int sum = await pool.ApplyAsync(Work.Add, 40, 2);
Console.WriteLine($"ApplyAsync(Add, 40, 2) = {sum}");
return checksum == serialChecksum ? 0 : 1;

static class Work
{
    /// <summary>Counts primes below <paramref name="limit"/> by trial division: deliberately CPU-bound.</summary>
    [Worker]
    public static (int Primes, int WorkerPid) CountPrimes(int limit)
    {
        int count = 0;
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

        return (count, Environment.ProcessId);
    }

    [Worker]
    public static int Add(int a, int b) => a + b;
}
