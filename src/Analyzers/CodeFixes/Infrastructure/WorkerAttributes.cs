using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace ParallelGen.Analyzers.CodeFixes.Infrastructure;

internal static class WorkerAttributes
{
    /// <summary><paramref name="method"/> with <c>[Worker]</c> added in front of its other attributes and modifiers.</summary>
    public static MethodDeclarationSyntax Add(SyntaxGenerator generator, MethodDeclarationSyntax method) =>
        (MethodDeclarationSyntax)generator.AddAttributes(method, generator.Attribute("Worker")).WithAdditionalAnnotations(Formatter.Annotation);
}
