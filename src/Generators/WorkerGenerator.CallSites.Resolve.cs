using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using ParallelGen.Generators.Models;

namespace ParallelGen.Generators;

public sealed partial class WorkerGenerator
{
    internal static partial class CallSites
    {
        /// <summary>One placeholder overload (e.g. <c>Map&lt;TArg, TResult&gt;(Func&lt;TArg, TResult&gt; worker, IEnumerable&lt;TArg&gt; items, ...)</c>), its types spelled with its type parameters.</summary>
        private sealed record Placeholder(
            string ReceiverType,
            string Name,
            ImmutableArray<string> TypeParameters,
            string ReturnType,
            string WorkerParameterType,
            ImmutableArray<string> DelegateParameters,
            string? DelegateReturn,
            ImmutableArray<ForwardedParameterSpec> Parameters,
            int RequiredArguments,
            int TotalArguments);

        /// <summary>
        /// Every call site as a <see cref="CallSiteSpec"/>: from syntax and the worker models where they decide it, by binding
        /// the call otherwise. Runs once per compilation; the per-call step before it never binds.
        /// </summary>
        public static EquatableArray<CallSiteSpec> Resolve(ImmutableArray<CallSiteCandidate> candidates, ImmutableArray<WorkerSpec> workers, Compilation compilation, CancellationToken cancellationToken)
        {
            if (candidates.IsEmpty)
            {
                return EquatableArray<CallSiteSpec>.Empty;
            }

            // A type of the user's own named like ours would make syntax lie about receivers: bind everything then.
            bool syntaxDecides = !compilation.GetSymbolsWithName(ReservedTypeNames.Contains, SymbolFilter.Type, cancellationToken)
                .Any(t => t.ContainingNamespace?.ToDisplayString() != ParallelGenNamespace);
            var placeholders = new Placeholders(compilation);
            ILookup<string, WorkerSpec> byName = workers.Where(w => w.IsUniquelyNamed && w.HasExactParameters).ToLookup(w => w.Name, System.StringComparer.Ordinal);
            var typeNameCounts = new Dictionary<string, int>(System.StringComparer.Ordinal);
            var models = new Dictionary<string, SemanticModel?>(System.StringComparer.Ordinal);

            var sites = new List<CallSiteSpec>(candidates.Length);
            foreach (CallSiteCandidate candidate in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CallSiteSpec? site = syntaxDecides ? FromSyntax(candidate, byName, placeholders, compilation, typeNameCounts, cancellationToken) : null;
                site ??= Bind(candidate, compilation, models, cancellationToken);
                if (site is not null)
                {
                    sites.Add(site);
                }
            }

            return sites.ToEquatableArray();
        }

        /// <summary>The exact path, for the calls syntax leaves open: find the call again in its file and bind it.</summary>
        private static CallSiteSpec? Bind(CallSiteCandidate candidate, Compilation compilation, Dictionary<string, SemanticModel?> models, CancellationToken cancellationToken)
        {
            if (!models.TryGetValue(candidate.FilePath, out SemanticModel? model))
            {
                SyntaxTree? tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == candidate.FilePath);
                models[candidate.FilePath] = model = tree is null ? null : compilation.GetSemanticModel(tree);
            }

            if (model is null)
            {
                return null;
            }

            var span = new TextSpan(candidate.SpanStart, candidate.SpanLength);
            InvocationExpressionSyntax? invocation = model.SyntaxTree.GetRoot(cancellationToken).FindNode(span, getInnermostNodeForTie: true)
                .AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(i => i.Span == span);
            return invocation is null ? null : Parser.ParseCallSite(model, invocation, cancellationToken);
        }

        /// <summary>The calls of <paramref name="candidates"/> that syntax and the worker models decide, each with its syntax-resolved model or null (tests compare them with the bound ones).</summary>
        internal static List<CallSiteSpec?> FromSyntaxOnly(ImmutableArray<CallSiteCandidate> candidates, ImmutableArray<WorkerSpec> workers, Compilation compilation)
        {
            var placeholders = new Placeholders(compilation);
            ILookup<string, WorkerSpec> byName = workers.Where(w => w.IsUniquelyNamed && w.HasExactParameters).ToLookup(w => w.Name, System.StringComparer.Ordinal);
            var counts = new Dictionary<string, int>(System.StringComparer.Ordinal);
            return candidates.Select(c => FromSyntax(c, byName, placeholders, compilation, counts, CancellationToken.None)).ToList();
        }

        /// <summary>The call resolved from syntax, or null when syntax and the models don't decide it.</summary>
        private static CallSiteSpec? FromSyntax(
            CallSiteCandidate candidate,
            ILookup<string, WorkerSpec> workers,
            Placeholders placeholders,
            Compilation compilation,
            Dictionary<string, int> typeNameCounts,
            CancellationToken cancellationToken)
        {
            if (candidate.Receiver == ReceiverKind.Unknown || candidate.WorkerName is null || candidate.WorkerQualifier is not { } qualifier)
            {
                return null;
            }

            WorkerSpec? worker = null;
            foreach (WorkerSpec named in workers[candidate.WorkerName])
            {
                if (!NamesType(named.ContainingType, qualifier))
                {
                    continue;
                }

                if (worker is not null)
                {
                    return null;
                }

                worker = named;
            }

            if (worker is null)
            {
                return null;
            }

            // The qualifier's last name must name one type in the compilation's sources, or it might mean another type.
            string typeName = qualifier.Substring(qualifier.LastIndexOf('.') + 1);
            if (!typeNameCounts.TryGetValue(typeName, out int count))
            {
                typeNameCounts[typeName] = count = compilation.GetSymbolsWithName(typeName, SymbolFilter.Type, cancellationToken).Count();
            }

            if (count != 1)
            {
                return null;
            }

            // One dictionary of type arguments serves every overload tried: the chosen one's are inferred again at the end.
            var types = new Dictionary<string, string>(System.StringComparer.Ordinal);
            Placeholder? chosen = null;
            int best = -1;
            bool tie = false;
            foreach (Placeholder placeholder in placeholders.Named(candidate.Receiver, candidate.PoolMethod))
            {
                if (candidate.ArgumentCount < placeholder.RequiredArguments || candidate.ArgumentCount > placeholder.TotalArguments
                    || !TryInfer(placeholder, worker, types, out int specificity))
                {
                    continue;
                }

                if (specificity > best)
                {
                    (chosen, best, tie) = (placeholder, specificity, false);
                }
                else if (specificity == best)
                {
                    tie = true;
                }
            }

            if (chosen is null || tie || !TryInfer(chosen, worker, types, out _))
            {
                return null;
            }

            return new CallSiteSpec(
                candidate.Location,
                chosen.Name,
                Parser.CoreMethods[chosen.Name],
                Substitute(chosen.ReturnType, types),
                Substitute(chosen.WorkerParameterType, types),
                chosen.Parameters.Select(p => p with { Type = Substitute(p.Type, types) }).ToEquatableArray(),
                worker.Id,
                null)
            {
                ReceiverType = chosen.ReceiverType,
            };
        }

        /// <summary>Whether <paramref name="containingType"/> (<c>global::Contoso.Jobs</c>) is the type <paramref name="qualifier"/> (<c>Jobs</c>, <c>Contoso.Jobs</c>) names.</summary>
        private static bool NamesType(string containingType, string qualifier)
        {
            const string Global = "global::";
            if (containingType.Length == Global.Length + qualifier.Length)
            {
                return containingType.StartsWith(Global, System.StringComparison.Ordinal) && containingType.EndsWith(qualifier, System.StringComparison.Ordinal);
            }

            return containingType.Length > qualifier.Length + 1
                && containingType[containingType.Length - qualifier.Length - 1] == '.'
                && containingType.EndsWith(qualifier, System.StringComparison.Ordinal);
        }

        /// <summary>
        /// The overload's type arguments for this worker, as the compiler infers them when the worker's types are exact: each
        /// delegate parameter is a type parameter taking the worker's parameter type (or the token), the result's type
        /// parameter takes the worker's result. Of two overloads that both fit, C# picks the one whose delegate returns
        /// <c>Task&lt;TResult&gt;</c> over <c>TResult</c> (more specific): <paramref name="specificity"/> says which.
        /// </summary>
        private static bool TryInfer(Placeholder placeholder, WorkerSpec worker, Dictionary<string, string> types, out int specificity)
        {
            types.Clear();
            specificity = 0;
            if (placeholder.DelegateParameters.Length != worker.Parameters.Count)
            {
                return false;
            }

            for (int i = 0; i < worker.Parameters.Count; i++)
            {
                string delegateParameter = placeholder.DelegateParameters[i];
                if (worker.Parameters[i].IsCancellationToken || delegateParameter == Token)
                {
                    if (!(worker.Parameters[i].IsCancellationToken && delegateParameter == Token))
                    {
                        return false;
                    }

                    continue;
                }

                if (!Assign(placeholder, types, delegateParameter, worker.Parameters[i].Type))
                {
                    return false;
                }
            }

            string? returns = placeholder.DelegateReturn;
            bool fits = worker.ResultKind switch
            {
                ResultKind.Void => returns is null,
                ResultKind.Value => returns is not null && Assign(placeholder, types, returns, worker.ResultType),
                ResultKind.Task => Wrapped(placeholder, types, returns, "global::System.Threading.Tasks.Task<", worker, ref specificity),
                ResultKind.ValueTask => Wrapped(placeholder, types, returns, "global::System.Threading.Tasks.ValueTask<", worker, ref specificity),
                ResultKind.VoidTask => Plain(placeholder, types, returns, "global::System.Threading.Tasks.Task", worker, ref specificity),
                ResultKind.VoidValueTask => Plain(placeholder, types, returns, "global::System.Threading.Tasks.ValueTask", worker, ref specificity),
                _ => false,
            };
            return fits && placeholder.TypeParameters.All(types.ContainsKey);
        }

        private static bool Wrapped(Placeholder placeholder, Dictionary<string, string> types, string? returns, string wrapper, WorkerSpec worker, ref int specificity)
        {
            if (returns is not null && returns.StartsWith(wrapper, System.StringComparison.Ordinal) && returns.EndsWith(">", System.StringComparison.Ordinal))
            {
                specificity = 1;
                return Assign(placeholder, types, returns.Substring(wrapper.Length, returns.Length - wrapper.Length - 1), worker.ResultType);
            }

            return returns is not null && Assign(placeholder, types, returns, worker.DeclaredReturnType);
        }

        private static bool Plain(Placeholder placeholder, Dictionary<string, string> types, string? returns, string type, WorkerSpec worker, ref int specificity)
        {
            if (returns == type)
            {
                specificity = 1;
                return true;
            }

            return returns is not null && Assign(placeholder, types, returns, worker.DeclaredReturnType);
        }

        /// <summary>Binds a bare type parameter to a type, consistently; anything but a bare type parameter doesn't fit.</summary>
        private static bool Assign(Placeholder placeholder, Dictionary<string, string> types, string parameter, string type)
        {
            if (!placeholder.TypeParameters.Contains(parameter))
            {
                return false;
            }

            if (types.TryGetValue(parameter, out string? existing))
            {
                return existing == type;
            }

            types[parameter] = type;
            return true;
        }

        /// <summary>
        /// <paramref name="text"/> (a type spelled with the overload's type parameters) with each type parameter replaced by
        /// its type: a whole identifier that no qualifier (<c>.</c>, <c>::</c>) or <c>@</c> comes before. Scanned by hand, not
        /// with a regular expression: building and running one cost more than the rest of resolving 500 calls.
        /// </summary>
        internal static string Substitute(string text, Dictionary<string, string> types)
        {
            System.Text.StringBuilder? result = null;
            int copied = 0;
            int i = 0;
            while (i < text.Length)
            {
                if (!IsWordChar(text[i]))
                {
                    i++;
                    continue;
                }

                int start = i;
                bool candidate = (text[i] is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or '_')
                    && (start == 0 || text[start - 1] is not ('.' or ':' or '@'));
                while (i < text.Length && IsWordChar(text[i]))
                {
                    i++;
                }

                if (candidate && types.TryGetValue(text.Substring(start, i - start), out string? type))
                {
                    result ??= new System.Text.StringBuilder(text.Length + 64);
                    result.Append(text, copied, start - copied).Append(type);
                    copied = i;
                }
            }

            return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
        }

        private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

        /// <summary>
        /// The placeholder overloads of the pool methods that calls name, read from the runtime's metadata by name when a
        /// call first needs them: reading all of them (and spelling every parameter type) cost more than resolving 500 calls.
        /// </summary>
        private sealed class Placeholders(Compilation compilation)
        {
            // Keyed by strings: a dictionary keyed by one of the generator's own structs (a tuple, an enum) would be JIT-compiled in every build.
            private readonly Dictionary<string, List<Placeholder>> _byName = new(System.StringComparer.Ordinal);
            private readonly Dictionary<string, INamedTypeSymbol?> _types = new(System.StringComparer.Ordinal);

            public List<Placeholder> Named(ReceiverKind receiver, string name)
            {
                string key = ((int)receiver).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + name;
                if (!_byName.TryGetValue(key, out List<Placeholder>? found))
                {
                    _byName[key] = found = Read(receiver, name);
                }

                return found;
            }

            private List<Placeholder> Read(ReceiverKind kind, string name)
            {
                var placeholders = new List<Placeholder>();
                string? metadataName = kind switch
                {
                    ReceiverKind.Pool => "ParallelGen.WorkerPool",
                    ReceiverKind.Options => "ParallelGen.ProcessPoolOptions",
                    ReceiverKind.Process => "ParallelGen.WorkerProcess",
                    _ => null,
                };
                if (metadataName is null || !Parser.CoreMethods.ContainsKey(name))
                {
                    return placeholders;
                }

                if (!_types.TryGetValue(metadataName, out INamedTypeSymbol? type))
                {
                    _types[metadataName] = type = compilation.GetTypeByMetadataName(metadataName);
                }

                if (type is null)
                {
                    return placeholders;
                }

                foreach (ISymbol member in type.GetMembers(name))
                {
                    if (member is not IMethodSymbol method || Parser.WorkerParameter(method) is not { } workerParameter
                        || workerParameter.Type is not INamedTypeSymbol { DelegateInvokeMethod: { } invoke })
                    {
                        continue;
                    }

                    bool packs = method.Name is "Apply" or "ApplyAsync" or Parser.SetInitializer || kind == ReceiverKind.Process;
                    int first = workerParameter.Ordinal + 1;
                    int last = workerParameter.Ordinal + (packs ? Parser.WorkerArgumentCount(workerParameter.Type) : 0);
                    placeholders.Add(new Placeholder(
                        "global::" + metadataName,
                        method.Name,
                        method.TypeParameters.Select(t => t.Name).ToImmutableArray(),
                        WireTypeRules.TypeName(method.ReturnType),
                        WireTypeRules.TypeName(workerParameter.Type),
                        invoke.Parameters.Select(p => WireTypeRules.TypeName(p.Type)).ToImmutableArray(),
                        invoke.ReturnsVoid ? null : WireTypeRules.TypeName(invoke.ReturnType),
                        method.Parameters
                            .Where(p => p.Ordinal != workerParameter.Ordinal)
                            .Select(p => new ForwardedParameterSpec(WireTypeRules.TypeName(p.Type), p.Name, p.Ordinal >= first && p.Ordinal <= last))
                            .ToImmutableArray(),
                        method.Parameters.Count(p => !p.IsOptional && !p.IsParams),
                        method.Parameters.Any(p => p.IsParams) ? int.MaxValue : method.Parameters.Length));
                }

                return placeholders;
            }
        }
    }
}
