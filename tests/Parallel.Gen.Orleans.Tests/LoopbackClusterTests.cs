using System.Net;
using System.Net.Sockets;

namespace ParallelGen.ClusterTests;

/// <summary>The sample's walk-through as a test: two silo processes and a client process on loopback.</summary>
public sealed class LoopbackClusterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Two_silo_processes_and_a_client_process_map_the_sample_work()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        Assert.True(File.Exists(SampleClusterProcess.Executable), $"{SampleClusterProcess.Executable} was not built; samples/Cluster is a ProjectReference of the tests.");
        int portBase = FreePortBase();
        string common = $"--port-base {portBase} --silos 2 --processes 1";

        await using SampleClusterProcess silo0 = SampleClusterProcess.Start($"silo 0 {common}", "silo 0 ready");
        await silo0.WaitUntilReadyAsync(Patience, ct);
        await using SampleClusterProcess silo1 = SampleClusterProcess.Start($"silo 1 {common}", "silo 1 ready");
        await silo1.WaitUntilReadyAsync(Patience, ct);

        await using SampleClusterProcess client = SampleClusterProcess.Start($"client {common}");
        int exitCode = await client.WaitForExitAsync(Patience, ct);

        string output = client.Output;
        Assert.True(exitCode == 0, $"client exited {exitCode}:\n{output}\nsilo 0:\n{silo0.Output}\nsilo 1:\n{silo1.Output}");
        Assert.Contains("64 items on 2 silos", output, StringComparison.Ordinal);
        Assert.Contains("OK", output, StringComparison.Ordinal);
    }

    /// <summary>A base port whose silo ports (base, base + 1) and gateway ports (base + 50, base + 51) are free on loopback.</summary>
    private static int FreePortBase()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int candidate = Random.Shared.Next(20_000, 40_000);
            if (new[] { 0, 1, 50, 51 }.All(offset => IsFree(candidate + offset)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No free loopback ports found for the sample cluster.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
