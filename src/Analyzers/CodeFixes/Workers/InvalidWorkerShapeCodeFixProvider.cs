using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using ParallelGen.Analyzers.Workers;

namespace ParallelGen.Analyzers.CodeFixes.Workers;

/// <summary>PG0003: makes an instance <c>[Worker]</c> static, offered only when its body uses no instance state (the analyzer decides).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InvalidWorkerShapeCodeFixProvider)), Shared]
public sealed class InvalidWorkerShapeCodeFixProvider : CodeFixProvider
{
    private const string Title = "Make the worker static";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [DiagnosticDescriptors.InvalidWorkerShapeId];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.ContainsKey(InvalidWorkerShapeAnalyzer.MakeStaticProperty)
                && root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => MakeStaticAsync(context.Document, method, ct), equivalenceKey: Title),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> MakeStaticAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.SetModifiers(method, editor.Generator.GetModifiers(method).WithIsStatic(true));
        return editor.GetChangedDocument();
    }
}
