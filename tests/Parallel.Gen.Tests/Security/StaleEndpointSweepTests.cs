using ParallelGen.Tests.Reliability;

namespace ParallelGen.Tests.Security;

/// <summary>
/// The first pool of a process sweeps <c>pgen-&lt;dead pid&gt;-*</c> directories from the temp directory. Another local user
/// can create such names, so the sweep must only delete real directories this user owns, and never follow a link.
/// </summary>
public sealed class StaleEndpointSweepTests
{
    [Fact]
    public async Task A_pool_start_sweeps_only_its_users_real_abandoned_directories_never_foreign_ones_or_links()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string root = Path.GetTempPath().Length > 70 ? "/tmp" : Path.GetTempPath();
        int dead = Planting.DeadProcessId();
        string tag = Guid.NewGuid().ToString("N")[..8];
        string victim = Path.Combine(root, "victim-" + tag);
        string ownAbandoned = Path.Combine(root, $"pgen-{dead}-own{tag}");
        string linkToVictim = Path.Combine(root, $"pgen-{dead}-link{tag}");
        string foreign = Path.Combine(root, $"pgen-{dead}-foreign{tag}");
        var planted = new List<string> { victim, ownAbandoned, linkToVictim };
        try
        {
            Directory.CreateDirectory(victim);
            File.WriteAllText(Path.Combine(victim, "precious"), "keep me");

            // An abandoned directory of this user holding a link to the victim: the directory goes, the victim's file stays.
            Directory.CreateDirectory(ownAbandoned);
            Directory.CreateSymbolicLink(Path.Combine(ownAbandoned, "into-victim"), victim);

            // A pgen-* name that is a link to the victim: neither the link nor the victim's content may go.
            Directory.CreateSymbolicLink(linkToVictim, victim);

            if (Planting.CanChown)
            {
                planted.Add(foreign);
                Directory.CreateDirectory(foreign);
                File.WriteAllText(Path.Combine(foreign, "theirs"), "not yours");
                Planting.GiveAway(Path.Combine(foreign, "theirs"));
                Planting.GiveAway(foreign);
            }

            // A process of its own, so its first pool sweeps (this test process swept long ago).
            using (TestHostProcess host = TestHostProcess.Start("console", "swept"))
            {
                await host.WaitForLineAsync(l => l.StartsWith("done", StringComparison.Ordinal));
                Assert.True(host.Process.WaitForExit(60_000), "the test host did not exit");
            }

            Assert.False(Directory.Exists(ownAbandoned), $"{ownAbandoned} (this user's, its pid dead) should have been swept");
            Assert.Equal("keep me", File.ReadAllText(Path.Combine(victim, "precious")));
            Assert.NotNull(new DirectoryInfo(linkToVictim).LinkTarget);
            if (Planting.CanChown)
            {
                Assert.Equal("not yours", File.ReadAllText(Path.Combine(foreign, "theirs")));
            }
        }
        finally
        {
            foreach (string path in planted)
            {
                Planting.Remove(path);
            }
        }
    }
}
