using System.Diagnostics;

namespace ParallelGen.Tests.Security;

/// <summary>What a hostile local user does in the test: plants files and links in shared directories, owned by someone else.</summary>
internal static class Planting
{
    /// <summary>The "nobody" user: files chowned to it stand for another local user's.</summary>
    public const int OtherUser = 65534;

    /// <summary>Root can give a file away (as in CI); others can't, and then run only the link and mode cases.</summary>
    public static bool CanChown => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>Gives <paramref name="path"/> (not what it links to) to <see cref="OtherUser"/>.</summary>
    public static void GiveAway(string path)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", ["-h", $"{OtherUser}:{OtherUser}", path]) { UseShellExecute = false })!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    /// <summary>A pid no process has: one that just exited.</summary>
    public static int DeadProcessId()
    {
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        return gone.Id;
    }

    /// <summary>Removes what a test planted, also links and other owners' files (the test runs as their creator or root).</summary>
    public static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || File.Exists(path))
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
