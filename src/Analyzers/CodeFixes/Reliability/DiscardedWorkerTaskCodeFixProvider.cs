using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ParallelGen.Analyzers.CodeFixes.Infrastructure;

namespace ParallelGen.Analyzers.CodeFixes.Reliability;

/// <summary>
/// PG0006: in an async context (an async method, lambda or local function, or top-level statements) awaits the
/// discarded task, so a worker's exception reaches the caller. Elsewhere, keeps the task in a local
/// (<c>var task = ...;</c>) for the code to await or wait on: making a method async changes its callers,
/// which a fix shouldn't decide.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DiscardedWorkerTaskCodeFixProvider)), Shared]
public sealed class DiscardedWorkerTaskCodeFixProvider : CodeFixProvider
{
    private const string AwaitTitle = "Await the task";
    private const string AssignTitle = "Keep the task in a local";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.DiscardedWorkerTaskId];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => new DocumentFixAllProvider(FixAsync);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root is not null && FindStatement(root, diagnostic) is { } found)
            {
                string title = IsAsyncContext(found.Statement) ? AwaitTitle : AssignTitle;
                context.RegisterCodeFix(CodeAction.Create(title, ct => FixAsync(context.Document, [diagnostic], ct), equivalenceKey: title), diagnostic);
            }
        }
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        var taken = new HashSet<string>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (FindStatement(root, diagnostic) is not { } found || replacements.ContainsKey(found.Statement))
            {
                continue;
            }

            ExpressionSyntax call = found.Call.WithoutTrivia();
            StatementSyntax replacement;
            if (IsAsyncContext(found.Statement))
            {
                replacement = SyntaxFactory.ExpressionStatement(SyntaxFactory.AwaitExpression(call));
            }
            else
            {
                string name = FreshName(model, found.Statement.SpanStart, taken);
                replacement = SyntaxFactory.LocalDeclarationStatement(
                    SyntaxFactory.VariableDeclaration(
                        SyntaxFactory.IdentifierName("var"),
                        SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(name).WithInitializer(SyntaxFactory.EqualsValueClause(call)))));
            }

            replacements[found.Statement] = replacement.WithTriviaFrom(found.Statement);
        }

        return document.WithSyntaxRoot(root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]));
    }

    private static (ExpressionStatementSyntax Statement, ExpressionSyntax Call)? FindStatement(SyntaxNode root, Diagnostic diagnostic)
    {
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call)
        {
            return null;
        }

        return call.Parent switch
        {
            ExpressionStatementSyntax statement => (statement, call),
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax statement } => (statement, call),
            _ => null,
        };
    }

    /// <summary>Whether <c>await</c> is allowed at <paramref name="statement"/>: the nearest function is async, or it is a top-level statement.</summary>
    private static bool IsAsyncContext(SyntaxNode statement)
    {
        foreach (SyntaxNode ancestor in statement.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax function:
                    return !function.AsyncKeyword.IsKind(SyntaxKind.None);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case BaseMethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case AccessorDeclarationSyntax:
                    return false;
                case LockStatementSyntax:
                    return false;
                case GlobalStatementSyntax:
                    return true;
            }
        }

        return false;
    }

    private static string FreshName(SemanticModel model, int position, HashSet<string> taken)
    {
        for (int i = 1; ; i++)
        {
            string name = i == 1 ? "task" : "task" + i;
            if (!taken.Contains(name) && model.LookupSymbols(position, name: name).IsEmpty)
            {
                taken.Add(name);
                return name;
            }
        }
    }
}
