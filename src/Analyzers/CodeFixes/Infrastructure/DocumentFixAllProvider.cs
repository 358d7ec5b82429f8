using System;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ParallelGen.Analyzers.CodeFixes.Infrastructure;

/// <summary>
/// Fix All that applies every diagnostic of a document in one pass of the fixer's own rewrite (so fixes that
/// add members or pick fresh names see each other), instead of merging independently computed text changes.
/// </summary>
internal sealed class DocumentFixAllProvider(Func<Document, ImmutableArray<Diagnostic>, System.Threading.CancellationToken, Task<Document>> fix) : DocumentBasedFixAllProvider
{
    protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        diagnostics.IsEmpty ? document : await fix(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false);
}
