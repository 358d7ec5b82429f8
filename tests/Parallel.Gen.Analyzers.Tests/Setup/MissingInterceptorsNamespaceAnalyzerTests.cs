using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ParallelGen.Analyzers.Setup;
using ParallelGen.Analyzers.Tests.Infrastructure;

namespace ParallelGen.Analyzers.Tests.Setup;

public sealed class MissingInterceptorsNamespaceAnalyzerTests
{
    private const string Program = """
        using ParallelGen;

        using var pool = new ProcessPool(2);
        int[] squares = {|PG0009:pool.Map(Jobs.Square, new[] { 1, 2 })|};
        int one = {|PG0009:pool.Apply(Jobs.Square, 1)|};
        pool.Close();

        static class Jobs
        {
            [Worker] public static int Square(int x) => x * x;
        }
        """;

    [Fact]
    public Task Every_pool_call_is_reported_when_the_package_props_are_missing()
    {
        var test = new Test(globalConfig: null) { TestCode = Program };
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task Property_without_the_namespace_is_reported()
    {
        var test = new Test("is_global = true\nbuild_property.InterceptorsNamespaces = ;Other.Namespace") { TestCode = Program };
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task Package_props_are_enough() => Verifier<MissingInterceptorsNamespaceAnalyzer>.VerifyProgramAsync(Clean(Program));

    [Fact]
    public Task Property_visible_to_analyzers_is_enough()
    {
        var test = new Test("is_global = true\nbuild_property.InterceptorsPreviewNamespaces = Other.Namespace,ParallelGen.Generated") { TestCode = Clean(Program) };
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task Namespace_given_to_the_compiler_directly_is_enough()
    {
        var test = new Test(globalConfig: null, feature: "ParallelGen.Generated") { TestCode = Clean(Program) };
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task Project_without_pool_calls_is_not_reported()
    {
        var test = new Test(globalConfig: null) { TestCode = "using ParallelGen;\n\nusing var pool = new ProcessPool(1);\n" };
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    private static string Clean(string markup) => markup.Replace("{|PG0009:", "", StringComparison.Ordinal).Replace("|}", "", StringComparison.Ordinal);

    /// <summary>A program test whose analyzer config is <paramref name="globalConfig"/> instead of the package props'.</summary>
    private sealed class Test : Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<MissingInterceptorsNamespaceAnalyzer, Microsoft.CodeAnalysis.Testing.DefaultVerifier>
    {
        private readonly string? feature;

        public Test(string? globalConfig, string? feature = null)
        {
            this.feature = feature;
            ReferenceAssemblies = TestReferences.None;
            TestState.AdditionalReferences.AddRange(TestReferences.Framework);
            TestState.OutputKind = OutputKind.ConsoleApplication;
            if (globalConfig is not null)
            {
                TestState.AnalyzerConfigFiles.Add(("/.globalconfig", globalConfig));
            }
        }

        protected override ParseOptions CreateParseOptions()
        {
            CSharpParseOptions options = TestSetup.WithPreview(base.CreateParseOptions());
            return feature is null ? options : options.WithFeatures([new("InterceptorsNamespaces", feature)]);
        }
    }
}
