namespace ParallelGen.Tests;

/// <summary>Finds programs built from this repository (samples, helper hosts) next to the test build.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>"Debug" or "Release": the configuration this test assembly was built in, which its project references share.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>The apphost of a project built as a ProjectReference of the tests, e.g. <c>samples/QuickStart</c>.</summary>
    public static string Executable(string projectDirectory, string assemblyName)
    {
        string path = Path.Combine(Root, projectDirectory, "bin", Configuration, "net10.0", assemblyName + (OperatingSystem.IsWindows() ? ".exe" : ""));
        Assert.True(File.Exists(path), $"{path} was not built; it is a ProjectReference of the test project.");
        return path;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parallel.Gen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Parallel.Gen.sln above {AppContext.BaseDirectory}.");
    }
}
