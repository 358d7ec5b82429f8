using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelGen.Analyzers.Infrastructure;

namespace ParallelGen.Analyzers.Workers;

/// <summary>
/// PG0002: a method group passed as a worker names a method without <c>[Worker]</c>. The generator only builds
/// entry points (dispatch table entry, codecs) for <c>[Worker]</c> methods, so the call could never reach it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MissingWorkerAttributeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.MissingWorkerAttribute];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (WellKnownTypes.Create(start.Compilation) is not { } types)
            {
                return;
            }

            start.RegisterOperationAction(c => Analyze(c, types), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, WellKnownTypes types)
    {
        if (types.GetWorkerArgument((IInvocationOperation)context.Operation) is { } argument
            && argument.Value.WithoutConversions() is IDelegateCreationOperation creation
            && creation.Target.WithoutConversions() is IMethodReferenceOperation { Method: { MethodKind: not MethodKind.LocalFunction } method } reference
            && !types.IsWorker(method.OriginalDefinition))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingWorkerAttribute, reference.Syntax.GetLocation(), method.ShortName()));
        }
    }
}
