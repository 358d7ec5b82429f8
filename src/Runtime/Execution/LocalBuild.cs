namespace ParallelGen.Execution;

/// <summary>
/// The build id of this program's generated worker table, registered when the entry assembly's module initializer hands
/// its table over: what a version-skew message compares a worker's build with, without the front end reaching into Hosting.
/// </summary>
internal static class LocalBuild
{
    private static string? s_id;

    /// <summary>The id, or "unknown" before the module initializer ran (or when the program declares no workers).</summary>
    public static string Id => Volatile.Read(ref s_id) ?? "unknown";

    public static void Register(string buildId) => Volatile.Write(ref s_id, buildId);
}