// WebOffload: an ASP.NET Core minimal API that runs a CPU-heavy, crash-prone job in worker processes, so neither the
// CPU work nor a crash (a native library that segfaults, an Environment.Exit deep in a dependency) takes the web server down.
// Run: dotnet run --project samples/WebOffload -- --urls http://127.0.0.1:5080
//   GET /primes/200000        -> {"limit":200000,"primes":17984,"workerPid":1234}
//   GET /primes/200000?crash=true -> 500 (the worker process died); the next request works on a fresh worker
using ParallelGen;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Services.AddProcessPool(o =>
{
    o.Processes = Math.Max(2, Environment.ProcessorCount / 2);
    o.TaskTimeout = TimeSpan.FromSeconds(30);
});

WebApplication app = builder.Build();

app.MapGet("/primes/{limit:int}", async (int limit, bool? crash, ProcessPool pool, CancellationToken requestAborted) =>
{
    if (limit is < 2 or > 5_000_000)
    {
        return Results.Problem($"limit must be between 2 and 5,000,000 (was {limit}).", statusCode: StatusCodes.Status400BadRequest);
    }

    try
    {
        (int primes, int pid) = await pool.ApplyAsync(Jobs.CountPrimes, limit, crash == true, requestAborted);
        return Results.Ok(new PrimeCount(limit, primes, pid));
    }
    catch (WorkerCrashedException e)
    {
        // Only this request fails: the pool has already started a replacement worker.
        return Results.Problem($"The worker process running this job crashed (exit code {e.ExitCode}); please retry.", statusCode: StatusCodes.Status500InternalServerError);
    }
});

app.MapGet("/health", (ProcessPool pool) => Results.Ok(new { workers = pool.WorkerProcessIds.Count }));

app.Run();

/// <summary>The response body of /primes.</summary>
internal sealed record PrimeCount(int Limit, int Primes, int WorkerPid);

internal static class Jobs
{
    /// <summary>Counts primes below <paramref name="limit"/>; with <paramref name="crash"/>, dies like a buggy native library would.</summary>
    [Worker]
    public static (int Primes, int Pid) CountPrimes(int limit, bool crash)
    {
        if (crash)
        {
            Environment.Exit(134);
        }

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
}
