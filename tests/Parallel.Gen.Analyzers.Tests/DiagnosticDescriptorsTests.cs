using System.Reflection;
using Microsoft.CodeAnalysis;
using ParallelGen.Analyzers.Workers;

namespace ParallelGen.Analyzers.Tests;

public sealed class DiagnosticDescriptorsTests
{
    public static TheoryData<string> Ids => new(AllIds());

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_at_a_section_of_docs_diagnostics_md(string id)
    {
        DiagnosticDescriptor descriptor = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>().Single(d => d.Id == id);
        string anchor = id.ToLowerInvariant();

        Assert.EndsWith("docs/diagnostics.md#" + anchor, descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.Contains($"<a id=\"{anchor}\"></a>", File.ReadAllText(DocsPath()), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_rule_is_in_the_release_tracking_file()
    {
        string unshipped = File.ReadAllText(Path.Combine(RepoRoot(), "src", "Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (string id in AllIds())
        {
            Assert.Contains(id + " |", unshipped, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Analyzers_do_not_reference_Workspaces()
    {
        AssemblyName[] references = typeof(LambdaAsWorkerAnalyzer).Assembly.GetReferencedAssemblies();
        Assert.DoesNotContain(references, r => r.Name!.StartsWith("Microsoft.CodeAnalysis.Workspaces", StringComparison.Ordinal)
            || r.Name.StartsWith("Microsoft.CodeAnalysis.CSharp.Workspaces", StringComparison.Ordinal));
    }

    private static IEnumerable<string> AllIds() => typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id);

    private static string DocsPath() => Path.Combine(RepoRoot(), "docs", "diagnostics.md");

    // Walks up from the test binary, not [CallerFilePath]: CI builds map source paths to /_/ (ContinuousIntegrationBuild).
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parallel.Gen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Parallel.Gen.sln above {AppContext.BaseDirectory}.");
    }
}
