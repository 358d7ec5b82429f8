using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ParallelGen.Analyzers.Tests.Infrastructure;

/// <summary>A code fix test with the same compilation setup as <see cref="AnalyzerTest{TAnalyzer}"/>.</summary>
public sealed class CodeFixTest<TAnalyzer, TFix> : CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFix : CodeFixProvider, new()
{
    public CodeFixTest()
    {
        ReferenceAssemblies = TestReferences.None;
        TestSetup.Apply(TestState);
        TestSetup.Apply(FixedState);
        TestSetup.Apply(BatchFixedState);
    }

    protected override ParseOptions CreateParseOptions() => TestSetup.WithPackageProps(base.CreateParseOptions());
}

/// <summary>
/// Applies <typeparamref name="TFix"/> to every <c>{|PG000N:...|}</c> in a source and compares with the fixed source:
/// one diagnostic at a time, and (the testing library's default) Fix All in document, project and solution scope.
/// </summary>
public static class Verifier<TAnalyzer, TFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFix : CodeFixProvider, new()
{
    /// <summary>Checks a library source.</summary>
    public static Task VerifyFixAsync(string source, string fixedSource) => RunAsync(source, fixedSource, OutputKind.DynamicallyLinkedLibrary);

    /// <summary>Checks a program with top-level statements.</summary>
    public static Task VerifyProgramFixAsync(string source, string fixedSource) => RunAsync(source, fixedSource, OutputKind.ConsoleApplication);

    /// <summary>Checks that the diagnostics in <paramref name="source"/> are reported but no fix is offered.</summary>
    public static Task VerifyNoFixAsync(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary) => RunAsync(source, source, kind);

    private static Task RunAsync(string source, string fixedSource, OutputKind kind)
    {
        var test = new CodeFixTest<TAnalyzer, TFix> { TestCode = source, FixedCode = fixedSource };
        test.TestState.OutputKind = kind;
        test.FixedState.OutputKind = kind;
        test.BatchFixedState.OutputKind = kind;
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
