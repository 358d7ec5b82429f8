using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelGen.Analyzers.Infrastructure;

namespace ParallelGen.Analyzers.Lifecycle;

/// <summary>
/// PG0005: a <c>ProcessPool</c> (or <c>WorkerProcess</c>) created where worker processes run too: a static field
/// or property initializer, a static constructor, a <c>[ModuleInitializer]</c>, or a <c>[Worker]</c> method. A worker is
/// this same program started again, so that code runs there as well: Python's unguarded module-level
/// <c>Pool()</c>. Code deferred into a lambda (e.g. <c>Lazy&lt;ProcessPool&gt;</c>) is fine, except inside a worker.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PoolCreatedInWorkerContextAnalyzer : DiagnosticAnalyzer
{
    private const string AlsoInWorkers = ", which every worker process runs too (each would start processes of its own)";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.PoolCreatedInWorkerContext];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (WellKnownTypes.Create(start.Compilation) is not { ProcessStarters.IsEmpty: false } types)
            {
                return;
            }

            start.RegisterOperationAction(c => Analyze(c, types, ((IObjectCreationOperation)c.Operation).Type), OperationKind.ObjectCreation);
            start.RegisterOperationAction(
                c =>
                {
                    // Factories such as WorkerProcess.Start(...): a static method of a starter type that returns one.
                    var invocation = (IInvocationOperation)c.Operation;
                    if (invocation.TargetMethod.IsStatic && types.IsProcessStarter(invocation.TargetMethod.ContainingType))
                    {
                        Analyze(c, types, invocation.TargetMethod.ReturnType);
                    }
                },
                OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, WellKnownTypes types, ITypeSymbol? created)
    {
        if (!types.IsProcessStarter(created))
        {
            return;
        }

        bool deferred = false;
        IOperation root = context.Operation;
        while (root.Parent is { } parent)
        {
            deferred |= parent is IAnonymousFunctionOperation or ILocalFunctionOperation;
            root = parent;
        }

        string? where = context.ContainingSymbol switch
        {
            IMethodSymbol method when types.IsWorker(method) => $"[Worker] '{method.ShortName()}', which runs in a worker process (a pool there is refused at run time: nested pools multiply processes)",
            _ when deferred => null,
            IFieldSymbol { IsStatic: true } field => $"the initializer of static field '{field.ShortName()}'{AlsoInWorkers}",
            IPropertySymbol { IsStatic: true } property => $"the initializer of static property '{property.ShortName()}'{AlsoInWorkers}",
            IMethodSymbol { MethodKind: MethodKind.StaticConstructor } constructor => $"the static constructor of '{constructor.ContainingType.Name}'{AlsoInWorkers}",
            IMethodSymbol method when types.IsModuleInitializer(method) => $"module initializer '{method.ShortName()}'{AlsoInWorkers}",
            _ => null,
        };

        if (where is not null && created is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PoolCreatedInWorkerContext, context.Operation.Syntax.GetLocation(), created.Name, where));
        }
    }
}
