using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using ParallelGen.Analyzers.CodeFixes.Infrastructure;
using ParallelGen.Analyzers.Workers;

namespace ParallelGen.Analyzers.CodeFixes.Workers;

/// <summary>
/// PG0001: extracts a lambda, anonymous method or local function passed as a worker (or a <c>[Worker]</c> local
/// function) into a <c>[Worker]</c> static method, and passes that instead. Where it goes:
/// <list type="bullet">
/// <item>top-level statements: into <c>static partial class Program</c> (the class the compiler puts them in), so
/// the name keeps resolving unqualified;</item>
/// <item>a static, non-generic class: into that class, right after the member it came from;</item>
/// <item>anywhere else: into a static class <c>Workers</c> next to the outermost type, referenced as <c>Workers.Name</c>.</item>
/// </list>
/// Parameter and return types come from the delegate type the code was converted to. Not offered when the
/// code captures locals, parameters or <c>this</c>, calls local functions, or uses members the new place can't reach:
/// those need a decision about what to pass instead.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LambdaAsWorkerCodeFixProvider)), Shared]
public sealed class LambdaAsWorkerCodeFixProvider : CodeFixProvider
{
    private const string Title = "Extract into a [Worker] static method";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.LambdaAsWorkerId];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => new DocumentFixAllProvider(WorkerExtraction.ExtractAsync);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(LambdaAsWorkerAnalyzer.KindProperty, out string? kind) && kind != LambdaAsWorkerAnalyzer.DelegateKind
                && WorkerExtraction.CanExtract(root, model, diagnostic, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => WorkerExtraction.ExtractAsync(context.Document, [diagnostic], ct), equivalenceKey: Title),
                    diagnostic);
            }
        }
    }
}
