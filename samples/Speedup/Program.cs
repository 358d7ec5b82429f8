// Speed (source text items 14, 16, 22): a pool against a plain loop. Tiny work per item gains nothing
// (each item still crosses a process boundary); real work per item spreads over the cores.
using System.Diagnostics;
using ParallelGen;

// Python's advice (item 22) is cpu_count() - 1 workers, leaving a core to the parent; this demo wants at least two.
int processes = Math.Max(2, Environment.ProcessorCount - 1);
using var pool = new ProcessPool(processes);
pool.Map(Work.CountPrimes, [.. Enumerable.Repeat(1_000, processes * 4)], chunkSize: 1); // start and warm up the workers

int[] small = [.. Enumerable.Range(0, 20_000)];
(long[] loopSmall, TimeSpan loopSmallTime) = Time(() => small.Select(Work.Square).ToArray());
(long[] poolSmall, TimeSpan poolSmallTime) = Time(() => pool.Map(Work.Square, small));
Console.WriteLine($"Small work ({small.Length:N0} squares): loop {Ms(loopSmallTime)}, pool of {processes} {Ms(poolSmallTime)} (moving the items costs more than squaring them)");

int[] big = [.. Enumerable.Range(0, 16).Select(i => 200_000 + i)];
(int[] loopBig, TimeSpan loopBigTime) = Time(() => big.Select(Work.CountPrimes).ToArray());
(int[] poolBig, TimeSpan poolBigTime) = Time(() => pool.Map(Work.CountPrimes, big));
Console.WriteLine($"Big work ({big.Length} prime counts): loop {Ms(loopBigTime)}, pool of {processes} {Ms(poolBigTime)}, speed-up {loopBigTime / poolBigTime:N2}x");

// apply_async, then .get(): a Task.
Task<int> pending = pool.ApplyAsync(Work.CountPrimes, 10_000);
Console.WriteLine($"ApplyAsync(CountPrimes, 10000) = {await pending}");

bool ok = loopSmall.SequenceEqual(poolSmall) && loopBig.SequenceEqual(poolBig);
Console.WriteLine(ok ? "OK" : "MISMATCH");
return ok ? 0 : 1;

static (T Result, TimeSpan Elapsed) Time<T>(Func<T> run)
{
    var clock = Stopwatch.StartNew();
    T result = run();
    return (result, clock.Elapsed);
}

static string Ms(TimeSpan time) => $"{time.TotalMilliseconds:N0} ms";

static class Work
{
    [Worker]
    public static long Square(int x) => (long)x * x;

    /// <summary>Counts primes below <paramref name="limit"/> by trial division: deliberately CPU-bound.</summary>
    [Worker]
    public static int CountPrimes(int limit)
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

        return count;
    }
}
