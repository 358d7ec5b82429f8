using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ParallelGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs <typeparamref name="TAnalyzer"/> over a source with <c>{|PG0001:...|}</c> markup (or <c>{|#0:...|}</c> plus
/// <paramref name="expected"/> results when the message matters) and checks that exactly those diagnostics appear.
/// </summary>
public static class Verifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>A diagnostic of <paramref name="descriptor"/> to expect, e.g. <c>Diagnostic(...).WithLocation(0).WithArguments(...)</c>.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Checks a library source (classes only).</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => VerifyAsync(source, OutputKind.DynamicallyLinkedLibrary, expected);

    /// <summary>Checks a program with top-level statements.</summary>
    public static Task VerifyProgramAsync(string source, params DiagnosticResult[] expected) => VerifyAsync(source, OutputKind.ConsoleApplication, expected);

    private static Task VerifyAsync(string source, OutputKind kind, DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest<TAnalyzer> { TestCode = source };
        test.TestState.OutputKind = kind;
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
