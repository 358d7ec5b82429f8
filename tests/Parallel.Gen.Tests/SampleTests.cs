using System.Diagnostics;

namespace ParallelGen.Tests;

/// <summary>Runs each sample program (built with this project) as a user would, with <c>dotnet Sample.dll</c>, and checks what it prints.</summary>
public sealed class SampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("SharedMemory", "Counter after 4 processes x 500 locked increments: 2000")]
    [InlineData("ManagerRecords", "Name: Jeff, Score: 8")]
    [InlineData("RemoteManager", "The client process took 10 jobs; sum of squares: 385")]
    [InlineData("QueueSquares", "Taken off the queue in the parent: [1, 4, 9, 16]")]
    [InlineData("ProducerConsumer", "Sum of squares handled by the consumers: 2686700")]
    [InlineData("WaitAny", "Waited on a pipe, a queue and two processes at once: 5 messages")]
    [InlineData("PipeEnd", "A pipe end belongs to one process at a time")]
    [InlineData("ProcessJoin", "Killed the sleeper (finished by itself: False)")]
    [InlineData("ReturnValues", "Via ProcessPool.Map: [worker 0 says 0, worker 1 says 1, worker 2 says 4, worker 3 says 9, worker 4 says 16]")]
    [InlineData("Speedup", "ApplyAsync(CountPrimes, 10000) = 1229")]
    [InlineData("LocksAndEvents", "Greetings each worker counted after the barrier: [4, 4, 4, 4]")]
    [InlineData("Insights", "The slowest item was 42")]
    public async Task The_sample_runs_and_prints_what_it_demonstrates(string sample, string expected)
    {
        (int exitCode, string output) = await RunAsync(sample);

        Assert.True(exitCode == 0, $"{sample} exited with {exitCode}:\n{output}");
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Contains("OK", output.Split('\n').Select(line => line.Trim()));
    }

    [Fact]
    public async Task A_PublishAot_sample_run_under_the_JIT_runs_async_workers()
    {
        // PublishAot switches startup hooks off; the package's targets keep them on for the JIT build, without
        // which a JIT worker runs inside the module initializer and an async worker's continuation deadlocks.
        (int exitCode, string output) = await RunAsync("AotWorkers");

        Assert.True(exitCode == 0, $"AotWorkers exited with {exitCode}:\n{output}");
        Assert.Contains("async worker: 49", output, StringComparison.Ordinal);
        Assert.Contains("workers run the host's own binary: OK", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string sample)
    {
        string dll = Path.Combine(RepositoryRoot(), "samples", sample, "bin", Configuration, "net10.0", sample + ".dll");
        Assert.True(File.Exists(dll), $"{dll} was not built (the test project builds every sample).");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output + await errors);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Parallel.Gen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Parallel.Gen.sln above {AppContext.BaseDirectory}.");
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}
