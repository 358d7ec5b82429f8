using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ParallelGen.Analyzers.Infrastructure;

namespace ParallelGen.Analyzers.Workers;

/// <summary>
/// PG0001: a lambda, anonymous method, local function or delegate value passed as a worker, and <c>[Worker]</c>
/// on a local function (a <c>static</c> function among top-level statements is one). A worker process can
/// only enter code through a <c>[Worker]</c> static method of a class: nothing else has a stable name the
/// generated dispatch table can call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LambdaAsWorkerAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property naming what was passed, so the fixer knows whether it can extract it.</summary>
    public const string KindProperty = "Kind";

    /// <summary><see cref="KindProperty"/> of a lambda or anonymous method.</summary>
    public const string LambdaKind = "Lambda";

    /// <summary><see cref="KindProperty"/> of a local function (passed as a worker, or marked [Worker]).</summary>
    public const string LocalFunctionKind = "LocalFunction";

    /// <summary><see cref="KindProperty"/> of a delegate value (a variable, field or call result): nothing to extract.</summary>
    public const string DelegateKind = "Delegate";

    private const int MaxSnippetLength = 40;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.LambdaAsWorker];

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

            start.RegisterOperationAction(c => AnalyzeInvocation(c, types), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeLocalFunction(c, types), OperationKind.LocalFunction);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, WellKnownTypes types)
    {
        if (types.GetWorkerArgument((IInvocationOperation)context.Operation) is not { } argument)
        {
            return;
        }

        IOperation value = argument.Value.WithoutConversions();
        if (value is IDelegateCreationOperation creation)
        {
            switch (creation.Target.WithoutConversions())
            {
                case IAnonymousFunctionOperation function:
                    string what = function.Syntax is AnonymousMethodExpressionSyntax ? "Anonymous method" : "Lambda";
                    Report(context, function.Syntax, LambdaKind, $"{what} '{Snippet(function.Syntax)}'");
                    return;
                case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference:
                    Report(context, reference.Syntax, LocalFunctionKind, $"Local function '{reference.Method.Name}'");
                    return;
                case IMethodReferenceOperation:
                    return; // a method group: PG0002/PG0003 judge the method
                default:
                    Report(context, creation.Target.Syntax, DelegateKind, $"Delegate '{Snippet(creation.Target.Syntax)}'");
                    return;
            }
        }

        if (value.Type?.TypeKind == TypeKind.Delegate && value.ConstantValue is not { HasValue: true })
        {
            Report(context, value.Syntax, DelegateKind, $"Delegate '{Snippet(value.Syntax)}'");
        }
    }

    private static void AnalyzeLocalFunction(OperationAnalysisContext context, WellKnownTypes types)
    {
        var function = (ILocalFunctionOperation)context.Operation;
        if (types.IsWorker(function.Symbol) && function.Syntax is LocalFunctionStatementSyntax syntax)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.LambdaAsWorker,
                syntax.Identifier.GetLocation(),
                ImmutableDictionary<string, string?>.Empty.Add(KindProperty, LocalFunctionKind),
                $"Local function '{function.Symbol.Name}' (a static function among top-level statements is local to the generated Main)"));
        }
    }

    private static void Report(OperationAnalysisContext context, SyntaxNode node, string kind, string what) =>
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.LambdaAsWorker,
            node.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind),
            what));

    /// <summary>The code as the user wrote it, on one line and cut short: enough to recognise it in the error list.</summary>
    private static string Snippet(SyntaxNode node)
    {
        string text = string.Join(" ", node.ToString().Split(['\r', '\n', ' ', '\t'], System.StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= MaxSnippetLength ? text : text.Substring(0, MaxSnippetLength - 3) + "...";
    }
}
