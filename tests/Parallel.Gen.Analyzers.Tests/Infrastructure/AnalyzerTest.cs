using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ParallelGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// An analyzer test set up the way a project that references the Parallel.Gen package compiles: .NET 10,
/// Parallel.Gen.dll, the preview language, and the package's build props (the interceptors namespace,
/// visible to analyzers as <c>build_property.InterceptorsNamespaces</c>).
/// </summary>
public sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public AnalyzerTest()
    {
        ReferenceAssemblies = TestReferences.None;
        TestSetup.Apply(TestState);
    }

    protected override ParseOptions CreateParseOptions() => TestSetup.WithPackageProps(base.CreateParseOptions());
}

internal static class TestSetup
{
    /// <summary>
    /// What <c>build/Parallel.Gen.props</c> makes visible to analyzers, as MSBuild writes it (the leading ';' is
    /// the empty property the props append to; the config parser reads it as a comment, see PG0009).
    /// </summary>
    public const string PackagePropsGlobalConfig = """
        is_global = true
        build_property.InterceptorsNamespaces = ;ParallelGen.Generated
        build_property.InterceptorsPreviewNamespaces = ;ParallelGen.Generated
        """;

    public static void Apply(SolutionState state)
    {
        state.AdditionalReferences.AddRange(TestReferences.Framework);
        state.AnalyzerConfigFiles.Add(("/.globalconfig", PackagePropsGlobalConfig));
    }

    /// <summary>The preview language, and the interceptors namespace as MSBuild hands it to the compiler (<c>/features:InterceptorsNamespaces=...</c>).</summary>
    public static ParseOptions WithPackageProps(ParseOptions options) =>
        WithPreview(options).WithFeatures([new("InterceptorsNamespaces", ";ParallelGen.Generated")]);

    public static CSharpParseOptions WithPreview(ParseOptions options) => ((CSharpParseOptions)options).WithLanguageVersion(LanguageVersion.Preview);
}
