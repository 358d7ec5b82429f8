namespace ParallelGen.Tests.Security;

/// <summary>
/// /dev/shm is writable by every local user: a name taken first by someone else must be refused by Open, with an error
/// that names the file, its owner and mode, rather than mapped (its owner could read, write or truncate it).
/// </summary>
public sealed class PlantedSharedMemoryTests
{
    [Fact]
    public void Open_refuses_a_segment_open_to_others_owned_by_another_user_or_reached_through_a_link()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string tag = Guid.NewGuid().ToString("N")[..8];
        using SharedArray<long> genuine = SharedArray<long>.Create("genuine-" + tag, 4);
        genuine[0] = 42;
        string directory = Path.GetDirectoryName(FileOf("genuine-" + tag))!;
        var planted = new List<string>();
        try
        {
            // Open to everyone: the planter keeps read/write access to whatever the victim stores.
            string open = Plant("open-" + tag, planted);
            File.SetUnixFileMode(open, (UnixFileMode)0x1B6 /* 0666 */);
            AssertRefused(() => SharedArray<long>.Open("open-" + tag), open, "0666");
            AssertRefused(() => SharedValue<long>.Open("open-" + tag), open, "0666");

            // A link by that name to a genuine block of this user: never followed.
            string link = Path.Combine(directory, "pgen-named-link-" + tag);
            planted.Add(link);
            File.CreateSymbolicLink(link, FileOf("genuine-" + tag));
            AssertRefused(() => SharedArray<long>.Open("link-" + tag), link, "symbolic link");

            if (Planting.CanChown)
            {
                // Private mode but another owner: that user can still chmod it, hold its lock word or truncate it.
                string foreign = Plant("foreign-" + tag, planted);
                Planting.GiveAway(foreign);
                AssertRefused(() => SharedArray<long>.Open("foreign-" + tag), foreign, $"uid {Planting.OtherUser}");
            }

            // The genuine one still opens, and a fresh copy made private by this user opens too: the check is not a blanket refusal.
            using (SharedArray<long> again = SharedArray<long>.Open("genuine-" + tag))
            {
                Assert.Equal(42, again[0]);
            }

            Plant("mine-" + tag, planted);
            using SharedArray<long> mine = SharedArray<long>.Open("mine-" + tag);
            Assert.Equal(42, mine[0]);
        }
        finally
        {
            foreach (string path in planted)
            {
                Planting.Remove(path);
            }
        }

        string Plant(string name, List<string> list)
        {
            string path = FileOf(name);
            list.Add(path);
            File.Copy(FileOf("genuine-" + tag), path);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return path;
        }
    }

    private static string FileOf(string name) => Path.Combine(SharedMemory.SharedMemoryBlock.SharedDirectory, "pgen-named-" + name);

    private static void AssertRefused(Action open, string path, string detail)
    {
        var e = Assert.Throws<UnauthorizedAccessException>(open);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
    }
}
