using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelGen.Analyzers.Infrastructure;

namespace ParallelGen.Analyzers.Setup;

/// <summary>
/// PG0009: the compilation calls a pool with a worker, but <c>ParallelGen.Generated</c> is not among its interceptor
/// namespaces. The compiler then refuses the generated interceptors and every call would reach the
/// un-intercepted placeholder. The package's build props add the namespace (and make the MSBuild property
/// visible to analyzers); a project that got the dll some other way lacks both. Reported at each call site.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MissingInterceptorsNamespaceAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The namespace of the generated interceptors.</summary>
    public const string InterceptorsNamespace = "ParallelGen.Generated";

    private static readonly string[] Properties = ["InterceptorsNamespaces", "InterceptorsPreviewNamespaces"];

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.MissingInterceptorsNamespace];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (WellKnownTypes.Create(start.Compilation) is not { } types || IsInMsBuildProperties(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions))
            {
                return;
            }

            start.RegisterOperationAction(
                c =>
                {
                    var invocation = (IInvocationOperation)c.Operation;
                    if (types.GetWorkerArgument(invocation) is not null && !IsInParseOptions(invocation.Syntax.SyntaxTree.Options))
                    {
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingInterceptorsNamespace, invocation.Syntax.GetLocation()));
                    }
                },
                OperationKind.Invocation);
        });
    }

    /// <summary>The MSBuild properties, visible through the package's <c>CompilerVisibleProperty</c> items.</summary>
    private static bool IsInMsBuildProperties(AnalyzerConfigOptions options)
    {
        foreach (string property in Properties)
        {
            if (options.TryGetValue("build_property." + property, out string? value) && Contains(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the compiler itself uses: MSBuild passes the properties as <c>/features:InterceptorsNamespaces=...</c>.</summary>
    private static bool IsInParseOptions(ParseOptions options)
    {
        foreach (string property in Properties)
        {
            if (options.Features.TryGetValue(property, out string? value) && Contains(value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(string? list)
    {
        foreach (string part in (list ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Trim() == InterceptorsNamespace)
            {
                return true;
            }
        }

        return false;
    }
}
