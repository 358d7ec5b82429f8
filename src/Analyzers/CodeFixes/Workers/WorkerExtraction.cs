using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using ParallelGen.Analyzers.CodeFixes.Infrastructure;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ParallelGen.Analyzers.CodeFixes.Workers;

/// <summary>The rewrite behind <see cref="LambdaAsWorkerCodeFixProvider"/>: plans every extraction on the original tree, then applies them together.</summary>
internal static class WorkerExtraction
{
    private const string LambdaMethodName = "Work";
    private const string WorkersClassName = "Workers";
    private const string ProgramClassName = "Program";

    public static bool CanExtract(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        FindSource(root, model, diagnostic, cancellationToken) is { } source && Plan(root, model, source, cancellationToken) is not null;

    public static async Task<Document> ExtractAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;

        var plans = new List<Extraction>();
        var seen = new HashSet<SyntaxNode>();
        foreach (Diagnostic diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (FindSource(root, model, diagnostic, cancellationToken) is { } source && seen.Add(source)
                && !plans.Any(p => p.Source.Span.Contains(source.Span) || source.Span.Contains(p.Source.Span))
                && Plan(root, model, source, cancellationToken) is { } plan)
            {
                plans.Add(plan);
            }
        }

        if (plans.Count == 0)
        {
            return document;
        }

        AssignNames(plans, model);
        return document.WithSyntaxRoot(Apply(root, model, plans));
    }

    /// <summary>The lambda, anonymous method or local function statement a PG0001 diagnostic is about.</summary>
    private static SyntaxNode? FindSource(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>() is { } function && function.Span == diagnostic.Location.SourceSpan)
        {
            return function;
        }

        if (node.FirstAncestorOrSelf<LocalFunctionStatementSyntax>() is { } declaration && declaration.Identifier.Span == diagnostic.Location.SourceSpan)
        {
            return declaration;
        }

        SymbolInfo info = model.GetSymbolInfo(node, cancellationToken);
        if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is IMethodSymbol { MethodKind: MethodKind.LocalFunction } local)
        {
            return local.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<LocalFunctionStatementSyntax>().FirstOrDefault();
        }

        return null;
    }

    private static Extraction? Plan(SyntaxNode root, SemanticModel model, SyntaxNode source, CancellationToken cancellationToken)
    {
        Destination? destination = ChooseDestination(root, model, source, cancellationToken);
        if (destination is null)
        {
            return null;
        }

        CSharpSyntaxNode? body = source switch
        {
            AnonymousFunctionExpressionSyntax function => function.Body,
            LocalFunctionStatementSyntax local => (CSharpSyntaxNode?)local.Body ?? local.ExpressionBody?.Expression,
            _ => null,
        };
        if (body is null || Captures(model, source, body, cancellationToken))
        {
            return null;
        }

        Dictionary<SyntaxNode, SyntaxNode>? qualified = destination.Qualifier.Length == 0
            ? []
            : QualifyOuterNames(model, source, body, destination.DisplayPosition, cancellationToken);
        if (qualified is null)
        {
            return null;
        }

        CSharpSyntaxNode newBody = qualified.Count == 0 ? body : body.ReplaceNodes(qualified.Keys, (original, _) => qualified[original]);
        return source switch
        {
            AnonymousFunctionExpressionSyntax function => PlanLambda(model, function, newBody, destination, cancellationToken),
            LocalFunctionStatementSyntax local => PlanLocalFunction(root, model, local, newBody, destination, cancellationToken),
            _ => null,
        };
    }

    private static Extraction? PlanLambda(SemanticModel model, AnonymousFunctionExpressionSyntax function, CSharpSyntaxNode body, Destination destination, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(function, cancellationToken).ConvertedType is not INamedTypeSymbol { DelegateInvokeMethod: { } invoke } || invoke.ReturnsVoid
            || invoke.Parameters.Any(p => p.RefKind != RefKind.None || ContainsTypeParameter(p.Type)) || ContainsTypeParameter(invoke.ReturnType))
        {
            return null;
        }

        string[] names = function switch
        {
            SimpleLambdaExpressionSyntax simple => [simple.Parameter.Identifier.ValueText],
            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.ParameterList.Parameters.Select(p => p.Identifier.ValueText).ToArray(),
            AnonymousMethodExpressionSyntax { ParameterList: { } list } => list.Parameters.Select(p => p.Identifier.ValueText).ToArray(),
            _ => invoke.Parameters.Select(p => p.Name).ToArray(),
        };
        if (names.Length != invoke.Parameters.Length)
        {
            return null;
        }

        var parameters = new List<ParameterSyntax>();
        var used = new HashSet<string>();
        for (int i = 0; i < names.Length; i++)
        {
            // Discards (_, _) may repeat in a lambda, not in a method.
            string name = names[i];
            for (int n = 2; !used.Add(name); n++)
            {
                name = names[i] + n;
            }

            parameters.Add(Parameter(Identifier(name)).WithType(TypeSyntax(invoke.Parameters[i].Type, model, destination.DisplayPosition)));
        }

        MethodDeclarationSyntax method = MethodDeclaration(TypeSyntax(invoke.ReturnType, model, destination.DisplayPosition), Identifier(LambdaMethodName))
            .WithModifiers(Modifiers(isAsync: !function.AsyncKeyword.IsKind(SyntaxKind.None), isUnsafe: false))
            .WithParameterList(ParameterList(SeparatedList(parameters)));
        method = WithBody(method, body);
        return new Extraction(function, LambdaMethodName, null, destination, method, []);
    }

    private static Extraction? PlanLocalFunction(SyntaxNode root, SemanticModel model, LocalFunctionStatementSyntax local, CSharpSyntaxNode body, Destination destination, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(local, cancellationToken) is not IMethodSymbol symbol || local.TypeParameterList is not null)
        {
            return null;
        }

        // Every use of the function (calls, method groups, recursion) is rewritten to the new method.
        SyntaxNode scope = local.Parent is GlobalStatementSyntax ? root : local.Parent!;
        var references = scope.DescendantNodes()
            .OfType<IdentifierNameSyntax>()
            .Where(n => n.Identifier.ValueText == symbol.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(n, cancellationToken).Symbol?.OriginalDefinition, symbol))
            .ToList();

        bool hasWorker = local.AttributeLists.SelectMany(l => l.Attributes).Any(a => IsWorkerAttribute(model.GetSymbolInfo(a, cancellationToken).Symbol));
        MethodDeclarationSyntax method = MethodDeclaration(local.ReturnType.WithoutTrivia(), Identifier(symbol.Name))
            .WithAttributeLists(List(local.AttributeLists.Select(l => l.WithoutTrivia())))
            .WithModifiers(Modifiers(local.Modifiers.Any(SyntaxKind.AsyncKeyword), local.Modifiers.Any(SyntaxKind.UnsafeKeyword)))
            .WithParameterList(local.ParameterList.WithoutTrivia());

        // References inside the body (recursion) were planned on the original tree; carry them over into the new body.
        method = WithBody(method, body);
        return new Extraction(local, symbol.Name, symbol, destination, method, references) { HasWorkerAttribute = hasWorker };
    }

    private static Destination? ChooseDestination(SyntaxNode root, SemanticModel model, SyntaxNode source, CancellationToken cancellationToken)
    {
        if (source.FirstAncestorOrSelf<GlobalStatementSyntax>() is not null)
        {
            // Top-level statements are Program.Main: a member of 'static partial class Program' is in scope there unqualified.
            INamedTypeSymbol? program = model.GetEnclosingSymbol(source.SpanStart, cancellationToken)?.ContainingType;
            ClassDeclarationSyntax? host = ((CompilationUnitSyntax)root).Members.OfType<ClassDeclarationSyntax>()
                .FirstOrDefault(c => c.Identifier.ValueText == ProgramClassName && c.Modifiers.Any(SyntaxKind.StaticKeyword) && c.Modifiers.Any(SyntaxKind.PartialKeyword));
            return new Destination(DestinationKind.Program, "", root, host, program, source.SpanStart, ProgramClassName);
        }

        if (source.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type || model.GetDeclaredSymbol(type, cancellationToken) is not { } typeSymbol)
        {
            return null;
        }

        if (typeSymbol.IsStatic && IsReachableFromGeneratedCode(typeSymbol))
        {
            MemberDeclarationSyntax member = source.Ancestors().OfType<MemberDeclarationSyntax>().First(m => m.Parent == type);
            return new Destination(DestinationKind.ContainingType, "", member, type, typeSymbol, source.SpanStart, typeSymbol.Name);
        }

        BaseTypeDeclarationSyntax outermost = type.AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>().Last();
        ClassDeclarationSyntax? existing = null;
        string name = WorkersClassName;
        for (int n = 2; ; n++)
        {
            existing = outermost.Parent?.ChildNodes().OfType<ClassDeclarationSyntax>()
                .FirstOrDefault(c => c.Identifier.ValueText == name && c.Modifiers.Any(SyntaxKind.StaticKeyword) && c.TypeParameterList is null);
            if (existing is not null || model.LookupNamespacesAndTypes(outermost.SpanStart, name: name).IsEmpty)
            {
                break;
            }

            name = WorkersClassName + n;
        }

        ISymbol? existingSymbol = existing is null ? null : model.GetDeclaredSymbol(existing, cancellationToken);
        return new Destination(DestinationKind.Workers, name, outermost, existing, existingSymbol as INamedTypeSymbol, outermost.SpanStart, name);
    }

    /// <summary>Whether the code reads or writes anything declared outside it (locals, parameters, <c>this</c>) or calls a local function declared outside.</summary>
    private static bool Captures(SemanticModel model, SyntaxNode source, CSharpSyntaxNode body, CancellationToken cancellationToken)
    {
        if (body.DescendantNodesAndSelf().Any(n => n is ThisExpressionSyntax or BaseExpressionSyntax))
        {
            return true;
        }

        DataFlowAnalysis? flow = body is ExpressionSyntax expression ? model.AnalyzeDataFlow(expression) : model.AnalyzeDataFlow((StatementSyntax)body);
        if (flow is not { Succeeded: true } || flow.ReadInside.Concat(flow.WrittenInside).Any(s => !IsDeclaredInside(s, source)))
        {
            return true;
        }

        foreach (IdentifierNameSyntax name in body.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (model.GetSymbolInfo(name, cancellationToken).Symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction } called && !IsDeclaredInside(called, source))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For a method moving to another class: simple names that found a member or nested type of an enclosing type
    /// get that type's name in front. <see langword="null"/> when one of them is private or protected there.
    /// </summary>
    private static Dictionary<SyntaxNode, SyntaxNode>? QualifyOuterNames(SemanticModel model, SyntaxNode source, CSharpSyntaxNode body, int displayPosition, CancellationToken cancellationToken)
    {
        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        foreach (SimpleNameSyntax name in body.DescendantNodesAndSelf().OfType<SimpleNameSyntax>())
        {
            if (name.Parent is MemberAccessExpressionSyntax access && access.Name == name || name.Parent is QualifiedNameSyntax qualified && qualified.Right == name
                || name.Parent is MemberBindingExpressionSyntax || name.IsVar)
            {
                continue;
            }

            SymbolInfo info = model.GetSymbolInfo(name, cancellationToken);
            ISymbol? symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            if (symbol is null || IsDeclaredInside(symbol, source) || symbol.ContainingType is not { } containing
                || symbol is ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol or ITypeParameterSymbol
                || symbol is IMethodSymbol { MethodKind: MethodKind.ReducedExtension or MethodKind.LocalFunction })
            {
                continue;
            }

            if (!symbol.IsStatic && symbol is not INamedTypeSymbol)
            {
                return null; // an instance member: the analysis above already refused 'this'; be safe
            }

            if (symbol.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                return null;
            }

            ExpressionSyntax qualifier = ParseExpression(containing.ToMinimalDisplayString(model, displayPosition));
            replacements[name] = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, qualifier, name.WithoutTrivia()).WithTriviaFrom(name);
        }

        return replacements;
    }

    private static void AssignNames(List<Extraction> plans, SemanticModel model)
    {
        var taken = new Dictionary<string, HashSet<string>>();
        foreach (Extraction plan in plans)
        {
            string key = plan.Destination.Key;
            if (!taken.TryGetValue(key, out HashSet<string>? names))
            {
                taken[key] = names = [];
            }

            for (int n = 1; ; n++)
            {
                string candidate = n == 1 ? plan.BaseName : plan.BaseName + n;
                bool free = !names.Contains(candidate)
                    && (plan.Destination.HostSymbol is null || plan.Destination.HostSymbol.GetMembers(candidate).IsEmpty)
                    && (plan.Destination.Qualifier.Length > 0 || model.LookupSymbols(plan.Source.SpanStart, name: candidate).All(s => SymbolEqualityComparer.Default.Equals(s, plan.LocalFunction)));
                if (free)
                {
                    names.Add(candidate);
                    plan.Name = candidate;
                    break;
                }
            }
        }
    }

    private static SyntaxNode Apply(SyntaxNode root, SemanticModel model, List<Extraction> plans)
    {
        bool needsUsing = plans.Any(p => !ParallelGenImports.IsWorkerAttributeInScope(model, p.Destination.DisplayPosition));
        SyntaxTrivia newLine = ParallelGenImports.EndOfLine(root);

        var tracked = new List<SyntaxNode>();
        foreach (Extraction plan in plans)
        {
            tracked.Add(plan.Source);
            tracked.AddRange(plan.References);
            tracked.Add(plan.Destination.Anchor);
            if (plan.Destination.ExistingHost is { } host)
            {
                tracked.Add(host);
            }
        }

        root = root.TrackNodes(tracked.Distinct());

        // 1. Point every use at the new method, and take the code out of where it was.
        foreach (Extraction plan in plans)
        {
            if (plan.Source is AnonymousFunctionExpressionSyntax)
            {
                SyntaxNode current = root.GetCurrentNode(plan.Source)!;
                root = root.ReplaceNode(current, Reference(plan).WithTriviaFrom(current));
                continue;
            }

            foreach (IdentifierNameSyntax reference in plan.References)
            {
                if (root.GetCurrentNode(reference) is { } current)
                {
                    root = root.ReplaceNode(current, Reference(plan).WithTriviaFrom(current));
                }
            }

            SyntaxNode declaration = root.GetCurrentNode(plan.Source)!;
            SyntaxNode removed = declaration.Parent is GlobalStatementSyntax global ? global : declaration;
            root = root.RemoveNode(removed, SyntaxRemoveOptions.KeepUnbalancedDirectives)!;
        }

        // 2. Put the methods in place, grouped by where they go, in source order.
        foreach (IGrouping<string, Extraction> group in plans.GroupBy(p => p.Destination.Key))
        {
            Destination destination = group.First().Destination;
            MemberDeclarationSyntax[] methods = group.Select(p => (MemberDeclarationSyntax)Finish(p).WithTrailingTrivia(newLine)).ToArray();
            if (destination.Kind != DestinationKind.ContainingType && destination.ExistingHost is { } existingHost && root.GetCurrentNode(existingHost) is TypeDeclarationSyntax host)
            {
                root = root.ReplaceNode(host, host.AddMembers(methods.Select((m, i) => i == 0 && host.Members.Count == 0 ? m : m.WithLeadingTrivia(newLine)).ToArray()));
                continue;
            }

            switch (destination.Kind)
            {
                case DestinationKind.ContainingType:
                    root = root.InsertNodesAfter(root.GetCurrentNode(destination.Anchor)!, methods.Select(m => m.WithLeadingTrivia(newLine)));
                    break;
                case DestinationKind.Program:
                    root = AppendType((CompilationUnitSyntax)root, NewClass(destination.ClassName, methods, partial: true, newLine), newLine);
                    break;
                case DestinationKind.Workers:
                    SyntaxNode anchor = root.GetCurrentNode(destination.Anchor)!;
                    ClassDeclarationSyntax workers = NewClass(destination.ClassName, methods, partial: false, newLine);
                    root = EndsWithNewLine(anchor)
                        ? root.InsertNodesAfter(anchor, [workers.WithLeadingTrivia(newLine)])
                        : root.InsertNodesAfter(anchor, [workers.WithLeadingTrivia(newLine, newLine)]);
                    break;
            }
        }

        return needsUsing && root is CompilationUnitSyntax unit ? ParallelGenImports.AddUsing(unit) : root;
    }

    private static MethodDeclarationSyntax Finish(Extraction plan)
    {
        MethodDeclarationSyntax method = plan.Method.WithIdentifier(Identifier(plan.Name).WithAdditionalAnnotations(RenameAnnotation.Create()));
        if (!plan.HasWorkerAttribute)
        {
            AttributeListSyntax worker = AttributeList(SingletonSeparatedList(Attribute(IdentifierName("Worker"))));
            method = method.WithAttributeLists(method.AttributeLists.Insert(0, worker));
        }

        // Recursive calls inside the body still use the old name: rename them too.
        if (plan.LocalFunction is { } local && plan.Name != local.Name)
        {
            method = method.ReplaceNodes(
                method.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == local.Name),
                (original, _) => IdentifierName(plan.Name).WithTriviaFrom(original));
        }

        return method.WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static CompilationUnitSyntax AppendType(CompilationUnitSyntax unit, ClassDeclarationSyntax type, SyntaxTrivia newLine)
    {
        type = EndsWithNewLine(unit) ? type.WithLeadingTrivia(newLine) : type.WithLeadingTrivia(newLine, newLine);
        return unit.AddMembers(type);
    }

    private static bool EndsWithNewLine(SyntaxNode node)
    {
        SyntaxToken last = node.GetLastToken(includeZeroWidth: true);
        if (last.IsKind(SyntaxKind.EndOfFileToken))
        {
            last = last.GetPreviousToken();
        }

        return last.TrailingTrivia.Any(SyntaxKind.EndOfLineTrivia);
    }

    private static ClassDeclarationSyntax NewClass(string name, MemberDeclarationSyntax[] methods, bool partial, SyntaxTrivia newLine)
    {
        SyntaxTokenList modifiers = partial
            ? TokenList(Token(SyntaxKind.StaticKeyword), Token(SyntaxKind.PartialKeyword))
            : TokenList(Token(SyntaxKind.StaticKeyword));
        return ClassDeclaration(name).WithModifiers(modifiers).WithMembers(List(methods.Select((m, i) => i == 0 ? m : m.WithLeadingTrivia(newLine))))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static ExpressionSyntax Reference(Extraction plan) =>
        plan.Destination.Qualifier.Length == 0
            ? IdentifierName(plan.Name)
            : MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(plan.Destination.Qualifier), IdentifierName(plan.Name));

    private static MethodDeclarationSyntax WithBody(MethodDeclarationSyntax method, CSharpSyntaxNode body) => body switch
    {
        // Fresh braces: a one-line lambda block '{ return 7; }' becomes an ordinary method body when formatted.
        BlockSyntax block => method.WithBody(block.WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken)).WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken))),
        ExpressionSyntax expression => method.WithExpressionBody(ArrowExpressionClause(expression.WithoutTrivia())).WithSemicolonToken(Token(SyntaxKind.SemicolonToken)),
        _ => method,
    };

    private static SyntaxTokenList Modifiers(bool isAsync, bool isUnsafe)
    {
        var tokens = new List<SyntaxToken> { Token(SyntaxKind.PublicKeyword), Token(SyntaxKind.StaticKeyword) };
        if (isUnsafe)
        {
            tokens.Add(Token(SyntaxKind.UnsafeKeyword));
        }

        if (isAsync)
        {
            tokens.Add(Token(SyntaxKind.AsyncKeyword));
        }

        return TokenList(tokens);
    }

    private static TypeSyntax TypeSyntax(ITypeSymbol type, SemanticModel model, int position) => ParseTypeName(type.ToMinimalDisplayString(model, position));

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter),
        _ => false,
    };

    private static bool IsDeclaredInside(ISymbol symbol, SyntaxNode source) =>
        symbol.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == source.SyntaxTree && source.Span.Contains(r.Span));

    /// <summary>The generated dispatch table must reach the method: no private/protected or generic type on the way.</summary>
    private static bool IsReachableFromGeneratedCode(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (t.IsGenericType || t.IsFileLocal || t.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWorkerAttribute(ISymbol? symbol) =>
        symbol is IMethodSymbol { ContainingType: { Name: "WorkerAttribute", ContainingNamespace: { Name: "ParallelGen", ContainingNamespace.IsGlobalNamespace: true } } };

    private enum DestinationKind
    {
        Program,
        ContainingType,
        Workers,
    }

    /// <summary>Where a method goes. <see cref="Anchor"/>: the member to insert after (containing type), the outermost type (Workers), or the root (Program).</summary>
    private sealed record Destination(DestinationKind Kind, string Qualifier, SyntaxNode Anchor, TypeDeclarationSyntax? ExistingHost, INamedTypeSymbol? HostSymbol, int DisplayPosition, string ClassName)
    {
        public string Key => Kind + ":" + ClassName + ":" + (ExistingHost?.SpanStart ?? -1) + ":" + (Kind == DestinationKind.ContainingType ? Anchor.SpanStart : -1);
    }

    private sealed class Extraction(SyntaxNode source, string baseName, IMethodSymbol? localFunction, Destination destination, MethodDeclarationSyntax method, List<IdentifierNameSyntax> references)
    {
        public SyntaxNode Source { get; } = source;

        public string BaseName { get; } = baseName;

        public IMethodSymbol? LocalFunction { get; } = localFunction;

        public Destination Destination { get; } = destination;

        public MethodDeclarationSyntax Method { get; } = method;

        public List<IdentifierNameSyntax> References { get; } = references;

        public bool HasWorkerAttribute { get; init; }

        public string Name { get; set; } = baseName;
    }
}
