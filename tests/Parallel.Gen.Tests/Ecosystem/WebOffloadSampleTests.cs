using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace ParallelGen.Tests.Ecosystem;

/// <summary>samples/WebOffload as a user runs it: a real Kestrel process on a loopback port, called over HTTP.</summary>
public sealed partial class WebOffloadSampleTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_worker_crash_fails_only_its_request_and_the_next_request_works()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo(RepoPaths.Executable("samples/WebOffload", "WebOffload"), ["--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Logging__LogLevel__Default"] = "Information";
        using var server = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (ListeningOn().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        server.OutputDataReceived += collect;
        server.ErrorDataReceived += collect;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var workerPids = new List<int>();
        try
        {
            Uri baseAddress = await listening.Task.WaitAsync(Generous, ct);
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = Generous };

            PrimeCount first = (await http.GetFromJsonAsync<PrimeCount>("/primes/20000", ct))!;
            Assert.Equal(2262, first.Primes);
            workerPids.Add(first.WorkerPid);

            using HttpResponseMessage crashed = await http.GetAsync(new Uri("/primes/20000?crash=true", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.InternalServerError, crashed.StatusCode);
            Assert.Contains("crashed", await crashed.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

            for (int i = 0; i < 3; i++)
            {
                PrimeCount next = (await http.GetFromJsonAsync<PrimeCount>("/primes/20000", ct))!;
                Assert.Equal(2262, next.Primes);
                workerPids.Add(next.WorkerPid);
            }

            Assert.False(server.HasExited, string.Join("\n", output));
        }
        finally
        {
            // Stop it as a service manager would (SIGTERM): the host drains and disposes the pool, which removes its
            // endpoint directory. SIGKILL only if it doesn't stop in time.
            if (!OperatingSystem.IsWindows() && !server.HasExited)
            {
                using Process? term = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                term?.WaitForExit();
            }

            if (!server.WaitForExit(Generous))
            {
                server.Kill(entireProcessTree: true);
            }

            await server.WaitForExitAsync(CancellationToken.None);
            ProcessAssert.AllGone(workerPids.Distinct(), Generous);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    private sealed record PrimeCount(int Limit, int Primes, int WorkerPid);
}
