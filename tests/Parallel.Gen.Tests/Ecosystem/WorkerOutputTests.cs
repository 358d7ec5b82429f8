using System.Text.RegularExpressions;
using ParallelGen.Tests.Reliability;

namespace ParallelGen.Tests.Ecosystem;

/// <summary>Worker console output reaches the parent's console whole line by line, prefixed with [worker N] when asked.</summary>
public sealed partial class WorkerOutputTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Lines_written_in_pieces_by_two_workers_at_once_arrive_whole(bool prefix)
    {
        using TestHostProcess host = prefix ? TestHostProcess.Start("lines", "prefix") : TestHostProcess.Start("lines");

        await host.Process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, host.Process.ExitCode);
        string[] lines = [.. host.StandardOutput.Where(l => l != "done")];
        Assert.Equal(8 * 50, lines.Length);
        Regex whole = prefix ? PrefixedLine() : PlainLine();
        Assert.All(lines, line => Assert.Matches(whole, line));
        foreach (string line in lines)
        {
            Match match = whole.Match(line);
            Assert.Equal(match.Groups["item"].Value, match.Groups["end"].Value);
        }

        Assert.Equal("done", host.StandardOutput[^1]);
    }

    [GeneratedRegex(@"^item (?<item>\d) line \d+ middle end (?<end>\d)$")]
    private static partial Regex PlainLine();

    [GeneratedRegex(@"^\[worker (?<worker>[01])\] item (?<item>\d) line \d+ middle end (?<end>\d)$")]
    private static partial Regex PrefixedLine();
}
