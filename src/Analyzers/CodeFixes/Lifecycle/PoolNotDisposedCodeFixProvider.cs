using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ParallelGen.Analyzers.CodeFixes.Lifecycle;

/// <summary>
/// PG0007: turns <c>var pool = new ProcessPool(...);</c> into <c>using var pool = ...;</c>, so the pool is disposed
/// (its workers terminated) when the enclosing block ends. Not offered where a using declaration can't go
/// (a declaration of several variables, outside a block) or when the variable is assigned again later.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PoolNotDisposedCodeFixProvider)), Shared]
public sealed class PoolNotDisposedCodeFixProvider : CodeFixProvider
{
    private const string Title = "Add 'using'";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.PoolNotDisposedId];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

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
            if (FindDeclaration(root, diagnostic) is { } statement && !IsAssignedAgain(statement, model, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => AddUsingAsync(context.Document, statement, ct), equivalenceKey: Title),
                    diagnostic);
            }
        }
    }

    private static LocalDeclarationStatementSyntax? FindDeclaration(SyntaxNode root, Diagnostic diagnostic)
    {
        SyntaxNode? node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        while (node is ParenthesizedExpressionSyntax or CastExpressionSyntax or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax)
        {
            if (node.Parent is EqualsValueClauseSyntax)
            {
                break;
            }

            node = node.Parent;
        }

        return node?.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax statement } } }
            && statement.UsingKeyword.IsKind(SyntaxKind.None)
            && statement.Parent is BlockSyntax or GlobalStatementSyntax
                ? statement
                : null;
    }

    /// <summary>A <c>using</c> variable is read-only: assigning it again (or passing it by <c>ref</c>/<c>out</c>) would no longer compile.</summary>
    private static bool IsAssignedAgain(LocalDeclarationStatementSyntax statement, SemanticModel model, CancellationToken cancellationToken)
    {
        ISymbol? local = model.GetDeclaredSymbol(statement.Declaration.Variables[0], cancellationToken);
        SyntaxNode scope = statement.Parent is GlobalStatementSyntax ? statement.SyntaxTree.GetRoot(cancellationToken) : statement.Parent!;
        foreach (IdentifierNameSyntax name in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            bool written = name.Parent switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left == name,
                ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None) && !argument.RefKindKeyword.IsKind(SyntaxKind.InKeyword),
                PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => true,
                _ => false,
            };
            if (written && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<Document> AddUsingAsync(Document document, LocalDeclarationStatementSyntax statement, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        LocalDeclarationStatementSyntax updated = statement
            .WithoutLeadingTrivia()
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            .WithLeadingTrivia(statement.GetLeadingTrivia());
        return document.WithSyntaxRoot(root.ReplaceNode(statement, updated));
    }
}
