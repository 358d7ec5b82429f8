using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace ParallelGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// What test sources compile against: the assemblies of the .NET 10 shared framework this test runs on, and
/// Parallel.Gen.dll. The testing library's own <c>ReferenceAssemblies.Net</c> list stops before net10.0, and
/// building a net10.0 one would download Microsoft.NETCore.App.Ref at test time; the running framework
/// is already on disk and exactly the API the analyzers see in a real build.
/// </summary>
internal static class TestReferences
{
    /// <summary>No reference-assembly package: <see cref="Framework"/> takes its place.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    /// <summary>The shared framework's assemblies (from <c>TRUSTED_PLATFORM_ASSEMBLIES</c>, only those in the framework directory) and Parallel.Gen.dll.</summary>
    public static ImmutableArray<MetadataReference> Framework { get; } = Load();

    private static ImmutableArray<MetadataReference> Load()
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
            ?? throw new InvalidOperationException("The host exposes no TRUSTED_PLATFORM_ASSEMBLIES.");
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
            .Append(typeof(ProcessPool).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
