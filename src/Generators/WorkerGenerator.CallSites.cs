using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using ParallelGen.Generators.Models;

namespace ParallelGen.Generators;

public sealed partial class WorkerGenerator
{
    /// <summary>
    /// Pool call sites, resolved without binding where syntax and the worker models decide the intercepted overload.
    /// </summary>
    /// <remarks>
    /// Binding a call (overload resolution over the placeholder API of <c>WorkerPool.Calls.g.cs</c>) was nearly all of the
    /// generator's time on a project with many call sites. So the per-call step reads only syntax: the receiver's declared
    /// type, the method group's name and qualifier, the argument count. A later step joins that with the worker models
    /// (parsed once) and the placeholder overloads (read once per compilation): when exactly one worker matches by name, its
    /// argument types are exact (so they are the call's type arguments), and exactly one overload fits its shape, the
    /// interceptor's signature is that overload with the worker's types substituted. Anything else (external workers,
    /// named arguments, receivers syntax can't type, workers taking interfaces or open classes) is bound as before.
    /// </remarks>
    internal static partial class CallSites
    {
        private const string ParallelGenNamespace = "ParallelGen";
        private const string Token = "global::System.Threading.CancellationToken";
        private static readonly HashSet<string> PoolTypeNames = ["ProcessPool", "WorkerPool"];
        private static readonly HashSet<string> ReservedTypeNames = ["ProcessPool", "WorkerPool", "ProcessPoolOptions", "WorkerProcess"];

        /// <summary>The per-call step: syntax, and the interceptable location (which reads the file's checksum, not its meaning).</summary>
        public static CallSiteCandidate? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
            Parse(context.SemanticModel, (InvocationExpressionSyntax)context.Node, cancellationToken);

        /// <inheritdoc cref="Parse(GeneratorSyntaxContext, CancellationToken)"/>
        internal static CallSiteCandidate? Parse(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        {
            if (model.GetInterceptableLocation(invocation, cancellationToken) is not { } location)
            {
                return null;
            }

            SimpleNameSyntax name = invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name,
                MemberBindingExpressionSyntax binding => binding.Name,
                _ => throw new System.InvalidOperationException("IsCandidateCall admits member accesses and bindings only."),
            };
            string method = name.Identifier.ValueText;
            ReceiverKind receiver = name is IdentifierNameSyntax ? Receiver(invocation, method) : ReceiverKind.Unknown;
            (string? qualifier, string? worker) = receiver == ReceiverKind.Unknown ? (null, null) : WorkerGroup(invocation.ArgumentList);
            if (qualifier is not null && QualifierMayBeAValue(invocation, qualifier))
            {
                (qualifier, worker) = (null, null);
            }

            return new CallSiteCandidate(
                location,
                invocation.SyntaxTree.FilePath,
                invocation.Span.Start,
                invocation.Span.Length,
                method,
                worker is null ? ReceiverKind.Unknown : receiver,
                qualifier,
                worker,
                invocation.ArgumentList.Arguments.Count);
        }

        /// <summary>The method group passed first as <c>Qualifier.Name</c>, when every argument is positional and plain.</summary>
        private static (string? Qualifier, string? Name) WorkerGroup(ArgumentListSyntax arguments)
        {
            if (arguments.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None))
                || arguments.Arguments[0].Expression is not MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression, Name: IdentifierNameSyntax name } access
                || TypeText(access.Expression) is not { } qualifier)
            {
                return (null, null);
            }

            return (qualifier, name.Identifier.ValueText);
        }

        /// <summary>A type's name as written (<c>Jobs</c>, <c>Contoso.Jobs</c>, <c>global::Contoso.Jobs</c> → <c>Contoso.Jobs</c>), or null for anything else.</summary>
        private static string? TypeText(ExpressionSyntax expression) => expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            AliasQualifiedNameSyntax { Alias.Identifier.ValueText: "global", Name: IdentifierNameSyntax identifier } => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression, Name: IdentifierNameSyntax identifier } access
                when TypeText(access.Expression) is { } left => left + "." + identifier.Identifier.ValueText,
            QualifiedNameSyntax { Right: IdentifierNameSyntax identifier } qualified when TypeText(qualified.Left) is { } left => left + "." + identifier.Identifier.ValueText,
            _ => null,
        };

        /// <summary>What the call's receiver was declared as, when syntax shows it plainly.</summary>
        private static ReceiverKind Receiver(InvocationExpressionSyntax invocation, string method)
        {
            ExpressionSyntax? receiver = invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Expression,
                MemberBindingExpressionSyntax when invocation.Parent is ConditionalAccessExpressionSyntax conditional && conditional.WhenNotNull == invocation => conditional.Expression,
                _ => null,
            };
            if (receiver is null)
            {
                return ReceiverKind.Unknown;
            }

            if (method == Parser.ProcessStart)
            {
                return invocation.Expression is MemberAccessExpressionSyntax && OurTypeName(TypeText(receiver), invocation) == "WorkerProcess"
                    ? ReceiverKind.Process
                    : ReceiverKind.Unknown;
            }

            string? type = OurTypeName(DeclaredTypeName(receiver), invocation);
            if (type is null)
            {
                return ReceiverKind.Unknown;
            }

            return method == Parser.SetInitializer
                ? type == "ProcessPoolOptions" ? ReceiverKind.Options : ReceiverKind.Unknown
                : PoolTypeNames.Contains(type) ? ReceiverKind.Pool : ReceiverKind.Unknown;
        }

        /// <summary>
        /// The simple name of the type the receiver was declared with (a local, parameter, field or property), when it is
        /// a Parallel.Gen name written plainly (<c>ProcessPool</c>, <c>ParallelGen.ProcessPool</c>, <c>var p = new ProcessPool(...)</c>).
        /// A local can't share its name with another local or parameter of an enclosing scope (CS0136), so the first
        /// declaration found walking outwards is the one; lambdas and local functions may shadow, so the walk stops there.
        /// </summary>
        private static string? DeclaredTypeName(ExpressionSyntax receiver)
        {
            while (receiver is ParenthesizedExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression })
            {
                receiver = receiver is ParenthesizedExpressionSyntax p ? p.Expression : ((PostfixUnaryExpressionSyntax)receiver).Operand;
            }

            bool membersOnly = false;
            if (receiver is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax member })
            {
                receiver = member;
                membersOnly = true;
            }

            if (receiver is not IdentifierNameSyntax { Identifier.ValueText: var name } identifier)
            {
                return null;
            }

            int position = identifier.SpanStart;
            SyntaxNode? enclosingMember = null;
            foreach (SyntaxNode node in identifier.Ancestors())
            {
                switch (node)
                {
                    case BlockSyntax block when !membersOnly:
                        if (FindLocal(block.Statements, name, position, out TypeSyntax? localType, out ExpressionSyntax? initializer))
                        {
                            return PoolTypeName(localType, initializer);
                        }

                        break;
                    case CompilationUnitSyntax unit when !membersOnly:
                        if (FindLocal(unit.Members.OfType<GlobalStatementSyntax>().Select(g => g.Statement), name, position, out TypeSyntax? globalType, out ExpressionSyntax? globalInitializer))
                        {
                            return PoolTypeName(globalType, globalInitializer);
                        }

                        return null;
                    case BaseMethodDeclarationSyntax method when !membersOnly:
                        if (method.ParameterList.Parameters.FirstOrDefault(p => p.Identifier.ValueText == name) is { } parameter)
                        {
                            return PoolTypeName(parameter.Type, null);
                        }

                        break;
                    case AccessorDeclarationSyntax or ArrowExpressionClauseSyntax or GlobalStatementSyntax:
                        break;
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                        // Their parameters and locals may shadow the enclosing method's names: only declarations inside count.
                        return null;
                    case TypeDeclarationSyntax type:
                        // A member is found only when nothing in the calling member declares the name: a pattern, out,
                        // foreach, catch or query variable would hide it, and those the walk above doesn't read.
                        if (enclosingMember is not null && DeclaresName(enclosingMember, name, identifier.Span))
                        {
                            return null;
                        }

                        if (type.ParameterList?.Parameters.FirstOrDefault(p => p.Identifier.ValueText == name) is { } primary)
                        {
                            return PoolTypeName(primary.Type, null);
                        }

                        foreach (MemberDeclarationSyntax declaration in type.Members)
                        {
                            switch (declaration)
                            {
                                case FieldDeclarationSyntax field when field.Declaration.Variables.Any(v => v.Identifier.ValueText == name):
                                    return PoolTypeName(field.Declaration.Type, null);
                                case PropertyDeclarationSyntax property when property.Identifier.ValueText == name:
                                    return PoolTypeName(property.Type, null);
                            }
                        }

                        // A member of a base type, or anything else: bind.
                        return null;
                }

                enclosingMember = node;
            }

            return null;
        }

        /// <summary>
        /// Whether the first name of the worker's qualifier (<c>Jobs</c> in <c>Jobs.Square</c>) may be a value rather than a
        /// type: a local, parameter or member of the same name in scope (C#'s "Color Color" rule picks the value). Then the
        /// method group may be an instance method of that value, not the worker, and only binding can tell.
        /// </summary>
        /// <remarks>Members inherited from a base type or brought in by <c>using static</c> are not visible to syntax; the
        /// analyzers bind every call and report a method group that is not a [Worker] method.</remarks>
        private static bool QualifierMayBeAValue(InvocationExpressionSyntax invocation, string qualifier)
        {
            int dot = qualifier.IndexOf('.');
            string first = dot < 0 ? qualifier : qualifier.Substring(0, dot);

            // The method group (Qualifier.Name, identifiers and dots only) where the call names the qualifier: nothing there declares.
            TextSpan use = invocation.ArgumentList.Arguments[0].Expression.Span;
            SyntaxNode? enclosingMember = null;
            foreach (SyntaxNode node in invocation.Ancestors())
            {
                switch (node)
                {
                    case TypeDeclarationSyntax type:
                        if ((enclosingMember is not null && DeclaresName(enclosingMember, first, use))
                            || type.ParameterList?.Parameters.Any(p => p.Identifier.ValueText == first) == true
                            || MemberNames.GetValue(type, NamesOfMembers).Contains(first))
                        {
                            return true;
                        }

                        enclosingMember = null;
                        continue;
                    case CompilationUnitSyntax unit:
                        return unit.Members.OfType<GlobalStatementSyntax>().Any(g => DeclaresName(g, first, use));
                    case MemberDeclarationSyntax or GlobalStatementSyntax:
                        enclosingMember = node;
                        break;
                }
            }

            return false;
        }

        /// <summary>
        /// The names a type declaration's own members declare, read once per declaration: every call in a type asks, and
        /// scanning all members per call was most of the call-site step in a type with hundreds of calls (500 calls in
        /// one class: 0.2-0.5 s). Syntax nodes are immutable, so a node's names never change; the table holds them
        /// only while the node lives.
        /// </summary>
        private static readonly ConditionalWeakTable<TypeDeclarationSyntax, HashSet<string>> MemberNames = new();

        private static HashSet<string> NamesOfMembers(TypeDeclarationSyntax type)
        {
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (MemberDeclarationSyntax member in type.Members)
            {
                switch (member)
                {
                    case BaseFieldDeclarationSyntax field:
                        foreach (VariableDeclaratorSyntax variable in field.Declaration.Variables)
                        {
                            names.Add(variable.Identifier.ValueText);
                        }

                        break;
                    case PropertyDeclarationSyntax property:
                        names.Add(property.Identifier.ValueText);
                        break;
                    case MethodDeclarationSyntax method:
                        names.Add(method.Identifier.ValueText);
                        break;
                    case EventDeclarationSyntax @event:
                        names.Add(@event.Identifier.ValueText);
                        break;
                }
            }

            return names;
        }

        /// <summary>Whether anything inside <paramref name="node"/> declares a variable or parameter called <paramref name="name"/>.</summary>
        /// <remarks>
        /// A small member is scanned for the name where the call asks: a table entry per member (a set and a weak handle) cost
        /// more than the scan, and a small member holds few calls. A big one, where one scan per call would add up, is read
        /// once into <see cref="DeclaredNames"/>. Before scanning, the member's text is searched: walking its tokens costs
        /// ~1 µs a token (~30 µs for a one-line method), and a name written nowhere but in <paramref name="use"/> (the
        /// caller's own mention of it, which declares nothing) is declared nowhere.
        /// </remarks>
        private static bool DeclaresName(SyntaxNode node, string name, TextSpan use)
        {
            if (node.FullSpan.Length > ScannedPerCallUpTo)
            {
                return DeclaredNames.GetValue(node, NamesDeclaredIn).Contains(name);
            }

            if (WrittenOnlyIn(node, name, use))
            {
                return false;
            }

            foreach (SyntaxToken token in node.DescendantTokens())
            {
                if (token.ValueText == name && IsDeclaredName(token))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether every place <paramref name="name"/> is written in the text of <paramref name="node"/> lies inside
        /// <paramref name="use"/>. An identifier's text may differ from its name (a <c>\u</c> escape; a Unicode formatting
        /// character, which the name drops), so a member with a backslash-u or any non-ASCII character (or a tree without
        /// text) is left to the token scan.
        /// </summary>
        private static bool WrittenOnlyIn(SyntaxNode node, string name, TextSpan use)
        {
            if (!node.SyntaxTree.TryGetText(out SourceText? text))
            {
                return false;
            }

            TextSpan span = node.Span;
            string written = text.ToString(span);
            if (written.IndexOf("\\u", System.StringComparison.Ordinal) >= 0 || written.IndexOf("\\U", System.StringComparison.Ordinal) >= 0)
            {
                return false;
            }

            foreach (char c in written)
            {
                if (c > '\x7f')
                {
                    return false;
                }
            }

            for (int at = written.IndexOf(name, System.StringComparison.Ordinal); at >= 0; at = written.IndexOf(name, at + name.Length, System.StringComparison.Ordinal))
            {
                if (!use.Contains(new TextSpan(span.Start + at, name.Length)))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Characters of a member below which <see cref="DeclaresName"/> scans it per call rather than caching its names.</summary>
        private const int ScannedPerCallUpTo = 1024;

        /// <summary>The names declared inside a big member (or global statement), read once per node: every call in it asks.</summary>
        private static readonly ConditionalWeakTable<SyntaxNode, HashSet<string>> DeclaredNames = new();

        private static HashSet<string> NamesDeclaredIn(SyntaxNode node)
        {
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (SyntaxToken token in node.DescendantTokens())
            {
                if (IsDeclaredName(token))
                {
                    names.Add(token.ValueText);
                }
            }

            return names;
        }

        /// <summary>An identifier that declares a local, parameter, pattern, loop, catch or query variable, or a local function.</summary>
        private static bool IsDeclaredName(SyntaxToken token) =>
            token.IsKind(SyntaxKind.IdentifierToken)
            && token.Parent is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax or CatchDeclarationSyntax
                or ParameterSyntax or FromClauseSyntax or LetClauseSyntax or JoinClauseSyntax or JoinIntoClauseSyntax or QueryContinuationSyntax
                or LocalFunctionStatementSyntax;

        /// <summary>A local declared by a statement of this block before <paramref name="position"/>.</summary>
        private static bool FindLocal(IEnumerable<StatementSyntax> statements, string name, int position, out TypeSyntax? type, out ExpressionSyntax? initializer)
        {
            foreach (StatementSyntax statement in statements)
            {
                if (statement.SpanStart >= position)
                {
                    break;
                }

                if (statement is LocalDeclarationStatementSyntax local
                    && local.Declaration.Variables.FirstOrDefault(v => v.Identifier.ValueText == name) is { } variable)
                {
                    type = local.Declaration.Type;
                    initializer = variable.Initializer?.Value;
                    return true;
                }
            }

            type = null;
            initializer = null;
            return false;
        }

        /// <summary>The type as written (<c>ProcessPool</c>, <c>ParallelGen.ProcessPool</c>), or a <c>var</c>'s <c>new T(...)</c>.</summary>
        private static string? PoolTypeName(TypeSyntax? type, ExpressionSyntax? initializer)
        {
            if (type is NullableTypeSyntax nullable)
            {
                type = nullable.ElementType;
            }

            if (type is IdentifierNameSyntax { IsVar: true })
            {
                type = initializer is ObjectCreationExpressionSyntax creation ? creation.Type : null;
            }

            return type is null ? null : TypeText(type);
        }

        /// <summary>One of our type names, written qualified, or unqualified in a file that imports ParallelGen.</summary>
        private static string? OurTypeName(string? text, SyntaxNode site)
        {
            const string Prefix = ParallelGenNamespace + ".";
            if (text is null)
            {
                return null;
            }

            if (text.StartsWith(Prefix, System.StringComparison.Ordinal))
            {
                text = text.Substring(Prefix.Length);
                return ReservedTypeNames.Contains(text) ? text : null;
            }

            return ReservedTypeNames.Contains(text) && ImportsParallelGen(site) ? text : null;
        }

        /// <summary>Whether the file imports ParallelGen (so its unqualified pool names are ours), with no alias named like one.</summary>
        private static bool ImportsParallelGen(SyntaxNode node)
        {
            bool imports = false;
            foreach (SyntaxNode ancestor in node.Ancestors())
            {
                SyntaxList<UsingDirectiveSyntax> usings = ancestor switch
                {
                    CompilationUnitSyntax unit => unit.Usings,
                    BaseNamespaceDeclarationSyntax ns => ns.Usings,
                    _ => default,
                };
                foreach (UsingDirectiveSyntax directive in usings)
                {
                    if (directive.Alias is { } alias)
                    {
                        if (ReservedTypeNames.Contains(alias.Name.Identifier.ValueText))
                        {
                            return false;
                        }
                    }
                    else if (directive.StaticKeyword.IsKind(SyntaxKind.None) && directive.Name is { } name && TypeText(name) == ParallelGenNamespace)
                    {
                        imports = true;
                    }
                }

                if (ancestor is BaseNamespaceDeclarationSyntax { Name: var nsName } && TypeText(nsName) is { } nsText
                    && (nsText == ParallelGenNamespace || nsText.StartsWith(ParallelGenNamespace + ".", System.StringComparison.Ordinal)))
                {
                    imports = true;
                }
            }

            return imports;
        }
    }
}
