using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelGen.Analyzers.Infrastructure;

namespace ParallelGen.Analyzers.Lifecycle;

/// <summary>
/// PG0007: a <c>new ProcessPool(...)</c> that nothing ever disposes: thrown away at once, used only as the receiver
/// of a call, or held in a local that no path disposes (<c>using</c>, <c>Dispose()</c>, <c>DisposeAsync()</c>) and that
/// never leaves the method (returned, stored in a field or another variable, passed to a call). Its worker
/// processes then live until the parent exits. The check is flow-insensitive: one disposing path is enough.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PoolNotDisposedAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.PoolNotDisposed];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (WellKnownTypes.Create(start.Compilation) is not { ProcessPool: not null } types)
            {
                return;
            }

            start.RegisterOperationAction(c => Analyze(c, types), OperationKind.ObjectCreation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, WellKnownTypes types)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (!types.IsProcessPool(creation.Type))
        {
            return;
        }

        IOperation? parent = creation.ParentSkippingConversions();
        bool undisposed = parent switch
        {
            IExpressionStatementOperation => true,
            IInvocationOperation invocation => invocation.Instance?.WithoutConversions() == creation && !IsDispose(invocation.TargetMethod),
            IMemberReferenceOperation member => member.Instance?.WithoutConversions() == creation,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => !IsUsingDeclaration(declarator) && !IsOwned(declarator.Symbol, Root(creation)),
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value.WithoutConversions() == creation => !IsOwned(local.Local, Root(creation)),
            _ => false, // returned, stored in a field or property, passed to a call, put in a collection: someone else owns it
        };

        if (undisposed)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PoolNotDisposed, creation.Syntax.GetLocation()));
        }
    }

    private static bool IsUsingDeclaration(IVariableDeclaratorOperation declarator)
    {
        for (IOperation? o = declarator.Parent; o is not null; o = o.Parent)
        {
            switch (o)
            {
                case IUsingDeclarationOperation or IUsingOperation:
                    return true;
                case IVariableDeclarationOperation or IVariableDeclarationGroupOperation:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>Whether some use of <paramref name="local"/> disposes it or hands it to something else.</summary>
    private static bool IsOwned(ILocalSymbol local, IOperation root)
    {
        foreach (IOperation operation in root.Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            switch (reference.ParentSkippingConversions())
            {
                case IInvocationOperation invocation when invocation.Instance?.WithoutConversions() == reference:
                    if (IsDispose(invocation.TargetMethod))
                    {
                        return true;
                    }

                    break;
                case IConditionalAccessOperation { WhenNotNull: IInvocationOperation invocation } access when access.Operation.WithoutConversions() == reference:
                    if (IsDispose(invocation.TargetMethod))
                    {
                        return true;
                    }

                    break;
                case IUsingOperation:
                case IArgumentOperation:
                case IReturnOperation:
                case IAnonymousObjectCreationOperation:
                case IArrayInitializerOperation:
                case ICollectionExpressionOperation:
                case ITupleOperation:
                case IVariableInitializerOperation:
                case IPropertyInitializerOperation:
                case IFieldInitializerOperation:
                case IMemberInitializerOperation:
                case ICoalesceOperation:
                case IConditionalOperation:
                    return true;
                case ISimpleAssignmentOperation assignment when assignment.Value.WithoutConversions() == reference:
                    return true;
            }
        }

        return false;
    }

    private static bool IsDispose(IMethodSymbol method) => method.Name is "Dispose" or "DisposeAsync";

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }
}
