using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace ParallelGen.Analyzers.CodeFixes.Infrastructure;

/// <summary>Adds <c>using ParallelGen;</c> where a fix writes <c>[Worker]</c> into a file that can't see it yet.</summary>
internal static class ParallelGenImports
{
    private const string Namespace = "ParallelGen";

    /// <summary>Whether <c>Worker</c> already binds to <c>ParallelGen.WorkerAttribute</c> at <paramref name="position"/> (usings, global usings, enclosing namespace).</summary>
    public static bool IsWorkerAttributeInScope(SemanticModel model, int position) =>
        model.LookupNamespacesAndTypes(position, name: "WorkerAttribute")
            .Any(s => s is INamedTypeSymbol { ContainingNamespace: { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true } });

    /// <summary>Adds <c>using ParallelGen;</c> to <paramref name="root"/> among its usings: after <c>System*</c>, in order.</summary>
    public static CompilationUnitSyntax AddUsing(CompilationUnitSyntax root)
    {
        if (root.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == Namespace))
        {
            return root;
        }

        SyntaxTrivia newLine = EndOfLine(root);
        UsingDirectiveSyntax directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(Namespace))
            .WithTrailingTrivia(newLine)
            .WithAdditionalAnnotations(Formatter.Annotation);
        int index = 0;
        for (; index < root.Usings.Count; index++)
        {
            UsingDirectiveSyntax existing = root.Usings[index];
            string name = existing.Name?.ToString() ?? "";
            bool isSystem = name == "System" || name.StartsWith("System.", System.StringComparison.Ordinal);
            if (existing.GlobalKeyword.IsKind(SyntaxKind.None) && existing.Alias is null && existing.StaticKeyword.IsKind(SyntaxKind.None)
                && !isSystem && string.CompareOrdinal(name, Namespace) > 0)
            {
                break;
            }

            if (existing.Alias is not null || !existing.StaticKeyword.IsKind(SyntaxKind.None))
            {
                break;
            }
        }

        if (root.Usings.Count == 0)
        {
            // The file's first line (a comment, say) stays first; the using goes between it and the code.
            SyntaxTriviaList leading = root.GetLeadingTrivia();
            CompilationUnitSyntax stripped = root.WithoutLeadingTrivia();
            return stripped.WithUsings(SyntaxFactory.SingletonList(directive.WithLeadingTrivia(leading).WithTrailingTrivia(newLine, newLine)));
        }

        return root.WithUsings(root.Usings.Insert(index, directive));
    }

    /// <summary>The file's own line ending (the first one in it), so added lines match the rest.</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode root)
    {
        foreach (SyntaxTrivia trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return SyntaxFactory.EndOfLine(trivia.ToString());
            }
        }

        return SyntaxFactory.EndOfLine("\n");
    }
}
