using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using ParallelGen.Analyzers.CodeFixes.Infrastructure;

namespace ParallelGen.Analyzers.CodeFixes.Workers;

/// <summary>
/// PG0002: adds <c>[Worker]</c> to the method passed as a worker (wherever it is declared in the solution), and
/// <c>using ParallelGen;</c> to its file when <c>Worker</c> doesn't resolve there yet. Not offered for methods
/// without source (a referenced library's): those need a <c>[Worker]</c> wrapper the user writes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingWorkerAttributeCodeFixProvider)), Shared]
public sealed class MissingWorkerAttributeCodeFixProvider : CodeFixProvider
{
    private const string Title = "Add [Worker]";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.MissingWorkerAttributeId];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => new FixAll();

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (await FindMethodAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } target)
            {
                Solution solution = context.Document.Project.Solution;
                context.RegisterCodeFix(CodeAction.Create(Title, ct => AddWorkerAsync(solution, [target], ct), equivalenceKey: Title), diagnostic);
            }
        }
    }

    /// <summary>The declaration of the method the diagnostic's method group names, if it is in this solution.</summary>
    private static async Task<(DocumentId Document, MethodDeclarationSyntax Method)?> FindMethodAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        SymbolInfo info = model.GetSymbolInfo(node, cancellationToken);
        if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is not IMethodSymbol method)
        {
            return null;
        }

        foreach (SyntaxReference reference in method.OriginalDefinition.DeclaringSyntaxReferences)
        {
            if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is MethodDeclarationSyntax declaration
                && document.Project.Solution.GetDocumentId(reference.SyntaxTree) is { } id)
            {
                return (id, declaration);
            }
        }

        return null;
    }

    private static async Task<Solution> AddWorkerAsync(Solution solution, IEnumerable<(DocumentId Document, MethodDeclarationSyntax Method)> targets, CancellationToken cancellationToken)
    {
        foreach (IGrouping<DocumentId, MethodDeclarationSyntax> group in targets.GroupBy(t => t.Document, t => t.Method))
        {
            Document document = solution.GetDocument(group.Key)!;
            SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
            SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
            var generator = SyntaxGenerator.GetGenerator(document);
            MethodDeclarationSyntax[] methods = group.Distinct().ToArray();
            bool needsUsing = methods.Any(m => !ParallelGenImports.IsWorkerAttributeInScope(model, m.SpanStart));
            root = root.ReplaceNodes(methods, (original, _) => WorkerAttributes.Add(generator, original));
            if (needsUsing && root is CompilationUnitSyntax unit)
            {
                root = ParallelGenImports.AddUsing(unit);
            }

            solution = solution.WithDocumentSyntaxRoot(group.Key, root);
        }

        return solution;
    }

    /// <summary>Collects the methods of every diagnostic in scope first, so a method passed at many call sites gets one attribute.</summary>
    private sealed class FixAll : FixAllProvider
    {
        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => [FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution];

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext) =>
            Task.FromResult<CodeAction?>(CodeAction.Create(Title, ct => FixAsync(fixAllContext, ct), equivalenceKey: Title));

        private static async Task<Solution> FixAsync(FixAllContext context, CancellationToken cancellationToken)
        {
            IEnumerable<Document> documents = context.Scope switch
            {
                FixAllScope.Document when context.Document is not null => [context.Document],
                FixAllScope.Solution => context.Solution.Projects.SelectMany(p => p.Documents),
                _ => context.Project.Documents,
            };

            var targets = new List<(DocumentId, MethodDeclarationSyntax)>();
            foreach (Document document in documents)
            {
                foreach (Diagnostic diagnostic in await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false))
                {
                    if (await FindMethodAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is { } target)
                    {
                        targets.Add(target);
                    }
                }
            }

            return await AddWorkerAsync(context.Solution, targets, cancellationToken).ConfigureAwait(false);
        }
    }
}
