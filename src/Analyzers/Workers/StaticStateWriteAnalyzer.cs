using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelGen.Analyzers.Infrastructure;

namespace ParallelGen.Analyzers.Workers;

/// <summary>
/// PG0008: a <c>[Worker]</c> that writes static state: assigns a static field (or a source-declared static
/// property), passes one by <c>ref</c>/<c>out</c> (<c>Interlocked.Increment(ref Count)</c>), writes through one
/// (<c>Cache[key] = v</c>, <c>Totals[i] += x</c>), or calls a mutating method on one (<c>Results.Add(x)</c>).
/// Every worker process has its own copy of every static, so the parent never sees the change
/// (Python's global-variable surprise). Reading statics is fine. A worker passed to
/// <c>ProcessPoolOptions.SetInitializer</c> is exempt: setting up per-process state is what an initializer is for.
/// Because the initializer call may be anywhere in the compilation, findings are held until the compilation ends.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StaticStateWriteAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Methods that change the collection (or builder) they are called on.</summary>
    private static readonly HashSet<string> MutatingMethods =
    [
        "Add", "AddRange", "AddFirst", "AddLast", "AddOrUpdate", "GetOrAdd", "TryAdd", "TryUpdate",
        "Insert", "InsertRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveFirst", "RemoveLast", "RemoveWhere", "TryRemove",
        "Clear", "Push", "Pop", "TryPop", "Enqueue", "Dequeue", "TryDequeue", "TryTake", "Set", "SetAll",
        "Sort", "Reverse", "UnionWith", "ExceptWith", "IntersectWith", "SymmetricExceptWith",
        "Append", "AppendLine", "AppendFormat", "Replace",
    ];

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.StaticStateWrite];

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

            var findings = new System.Collections.Concurrent.ConcurrentBag<(IMethodSymbol Worker, Diagnostic Diagnostic)>();
            var initializers = new System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
            start.RegisterOperationAction(
                c =>
                {
                    var call = (IInvocationOperation)c.Operation;
                    if (call.TargetMethod.Name == "SetInitializer" && call.TargetMethod.ContainingType?.Name == "ProcessPoolOptions")
                    {
                        foreach (IArgumentOperation argument in call.Arguments)
                        {
                            if (argument.Value.WithoutConversions() is IDelegateCreationOperation { Target: IMethodReferenceOperation { Method: { } initializer } })
                            {
                                initializers.TryAdd(initializer.OriginalDefinition, true);
                            }
                        }
                    }
                },
                OperationKind.Invocation);
            start.RegisterCompilationEndAction(end =>
            {
                foreach ((IMethodSymbol worker, Diagnostic diagnostic) in findings)
                {
                    if (!initializers.ContainsKey(worker.OriginalDefinition))
                    {
                        end.ReportDiagnostic(diagnostic);
                    }
                }
            });

            start.RegisterOperationBlockStartAction(block =>
            {
                if (block.OwningSymbol is not IMethodSymbol method || !types.IsWorker(method))
                {
                    return;
                }

                void AnalyzeWrite(OperationAnalysisContext c, IMethodSymbol worker, IOperation target) =>
                    StaticStateWriteAnalyzer.AnalyzeWrite(c.Compilation, worker, target, findings);

                block.RegisterOperationAction(
                    c => AnalyzeWrite(c, method, ((IAssignmentOperation)c.Operation).Target),
                    OperationKind.SimpleAssignment, OperationKind.CompoundAssignment, OperationKind.CoalesceAssignment, OperationKind.DeconstructionAssignment);
                block.RegisterOperationAction(c => AnalyzeWrite(c, method, ((IIncrementOrDecrementOperation)c.Operation).Target), OperationKind.Increment, OperationKind.Decrement);
                block.RegisterOperationAction(
                    c =>
                    {
                        var argument = (IArgumentOperation)c.Operation;
                        if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out)
                        {
                            AnalyzeWrite(c, method, argument.Value);
                        }
                    },
                    OperationKind.Argument);
                block.RegisterOperationAction(
                    c =>
                    {
                        var invocation = (IInvocationOperation)c.Operation;
                        if (invocation.Instance is { } receiver && MutatingMethods.Contains(invocation.TargetMethod.Name))
                        {
                            AnalyzeWrite(c, method, receiver);
                        }
                    },
                    OperationKind.Invocation);
            });
        });
    }

    private static void AnalyzeWrite(Compilation compilation, IMethodSymbol worker, IOperation target, System.Collections.Concurrent.ConcurrentBag<(IMethodSymbol, Diagnostic)> findings)
    {
        if (target is ITupleOperation tuple)
        {
            foreach (IOperation element in tuple.Elements)
            {
                AnalyzeWrite(compilation, worker, element, findings);
            }

            return;
        }

        if (StaticRoot(target, compilation) is { } root)
        {
            findings.Add((worker, Diagnostic.Create(DiagnosticDescriptors.StaticStateWrite, target.Syntax.GetLocation(), worker.ShortName(), root.ShortName())));
        }
    }

    /// <summary>The static field or property that <paramref name="target"/> writes into, following element and member access down to it.</summary>
    private static ISymbol? StaticRoot(IOperation target, Compilation compilation)
    {
        for (IOperation? o = target.WithoutConversions(); o is not null;)
        {
            switch (o)
            {
                case IFieldReferenceOperation { Field: { IsStatic: true, IsConst: false } field }:
                    return field;
                case IFieldReferenceOperation field:
                    o = field.Instance?.WithoutConversions();
                    break;
                case IPropertyReferenceOperation { Property: { IsStatic: true } property }:
                    // Statics of other libraries (Console.Title, Environment.ExitCode) are the process's to set.
                    return SymbolEqualityComparer.Default.Equals(property.ContainingAssembly, compilation.Assembly) ? property : null;
                case IPropertyReferenceOperation property:
                    o = property.Instance?.WithoutConversions();
                    break;
                case IArrayElementReferenceOperation element:
                    o = element.ArrayReference.WithoutConversions();
                    break;
                case IInlineArrayAccessOperation inline:
                    o = inline.Instance.WithoutConversions();
                    break;
                default:
                    return null;
            }
        }

        return null;
    }
}
