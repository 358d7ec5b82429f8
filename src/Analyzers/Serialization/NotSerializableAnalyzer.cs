using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ParallelGen.Analyzers.Infrastructure;
using ParallelGen.Generators;

namespace ParallelGen.Analyzers.Serialization;

/// <summary>
/// PG0004: a <c>[Worker]</c> parameter or result whose type can't cross a process boundary. The decision is
/// <see cref="WireTypeRules"/>, the very file the generator uses to pick codecs, so a type reported here is
/// exactly a type the generator can't carry; the message names the member path that fails.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NotSerializableAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.NotSerializable];

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

            start.RegisterSymbolAction(c => Analyze(c, types), SymbolKind.Method);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, WellKnownTypes types)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.MethodKind != MethodKind.Ordinary || !types.IsWorker(method))
        {
            return;
        }

        MethodDeclarationSyntax? declaration = null;
        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is MethodDeclarationSyntax m)
            {
                declaration = m;
                break;
            }
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            // Pointers and by-ref parameters are PG0003's; the pool fills a CancellationToken in, it never travels.
            if (parameter.RefKind != RefKind.None || parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer || WireTypeRules.IsCancellationToken(parameter.Type))
            {
                continue;
            }

            if (WireTypeRules.GetCodec(parameter.Type, parameter.Name, out string? problem) is null)
            {
                Location location = FindParameterType(declaration, parameter.Name) ?? parameter.Locations[0];
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotSerializable, location, $"Parameter '{parameter.Name}'", method.ShortName(), problem));
            }
        }

        if (ResultType(method.ReturnType) is { } result && WireTypeRules.GetCodec(result, "return value", out string? resultProblem) is null)
        {
            Location location = declaration?.ReturnType.GetLocation() ?? method.Locations[0];
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotSerializable, location, "The result", method.ShortName(), resultProblem));
        }
    }

    /// <summary>The type whose values travel back: <c>T</c> of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, nothing for <c>void</c>/<c>Task</c>/<c>ValueTask</c>.</summary>
    private static ITypeSymbol? ResultType(ITypeSymbol returnType)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return null;
        }

        if (returnType is INamedTypeSymbol named)
        {
            switch (WireTypeRules.MetadataName(named))
            {
                case "System.Threading.Tasks.Task":
                case "System.Threading.Tasks.ValueTask":
                    return null;
                case "System.Threading.Tasks.Task`1":
                case "System.Threading.Tasks.ValueTask`1":
                    return named.TypeArguments[0];
            }
        }

        return returnType;
    }

    private static Location? FindParameterType(MethodDeclarationSyntax? declaration, string name)
    {
        if (declaration is null)
        {
            return null;
        }

        foreach (ParameterSyntax parameter in declaration.ParameterList.Parameters)
        {
            if (parameter.Identifier.ValueText == name && parameter.Type is { } type)
            {
                return type.GetLocation();
            }
        }

        return null;
    }
}
