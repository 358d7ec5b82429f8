using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelGen.Analyzers.Infrastructure;

namespace ParallelGen.Analyzers.Reliability;

/// <summary>
/// PG0006: the task of a worker call (<c>ApplyAsync</c>, <c>MapAsync</c>, <c>StarMapAsync</c>, and any API whose
/// worker parameter is marked <c>[WorkerParameter]</c> and returns a task) thrown away as a statement or into
/// <c>_ =</c>. A worker's exception, a crashed worker or a cancellation is then never observed: the work
/// silently didn't happen. A task that is awaited, stored, returned or passed on is fine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DiscardedWorkerTaskAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.DiscardedWorkerTask];

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
        var invocation = (IInvocationOperation)context.Operation;
        if (!IsTask(invocation.Type) || types.GetWorkerArgument(invocation) is null)
        {
            return;
        }

        bool discarded = invocation.ParentSkippingConversions() switch
        {
            IExpressionStatementOperation => true,
            ISimpleAssignmentOperation { Target: IDiscardOperation, Parent: IExpressionStatementOperation } => true,
            _ => false,
        };
        if (discarded)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DiscardedWorkerTask, invocation.Syntax.GetLocation(), invocation.TargetMethod.Name));
        }
    }

    private static bool IsTask(ITypeSymbol? type) =>
        type is INamedTypeSymbol { ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } named
        && named.Name is "Task" or "ValueTask";
}
