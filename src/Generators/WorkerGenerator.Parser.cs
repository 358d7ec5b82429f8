using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ParallelGen.Generators.Models;

namespace ParallelGen.Generators;

public sealed partial class WorkerGenerator
{
    /// <summary>Symbols in, models out. Anything the generator can't handle is skipped here; the analyzers explain why.</summary>
    internal static class Parser
    {
        private static readonly HashSet<string> PoolMethods = ["Map", "MapAsync", "StarMap", "StarMapAsync", "Imap", "ImapUnordered", "Apply", "ApplyAsync", SetInitializer];

        /// <summary>The typed method each intercepted placeholder routes to (StarMap's tuples travel like Map's items).</summary>
        internal static readonly Dictionary<string, string> CoreMethods = new()
        {
            ["Map"] = "MapCore",
            ["MapAsync"] = "MapAsyncCore",
            ["StarMap"] = "MapCore",
            ["StarMapAsync"] = "MapAsyncCore",
            ["Imap"] = "ImapCore",
            ["ImapUnordered"] = "ImapUnorderedCore",
            ["Apply"] = "ApplyCore",
            ["ApplyAsync"] = "ApplyAsyncCore",
            [SetInitializer] = "SetInitializerCore",
            [ProcessStart] = "StartCore",
        };

        /// <summary><c>ProcessPoolOptions.SetInitializer(Jobs.Init, args...)</c>: intercepted like <c>Apply</c>, on the options.</summary>
        internal const string SetInitializer = "SetInitializer";

        public const int MaxWorkerArguments = 8;

        public static WorkerSpec? ParseWorker(IMethodSymbol method)
        {
            if (!IsCallableWorker(method))
            {
                return null;
            }

            var plans = new WireCodecPlans();
            var parameters = new List<ParameterSpec>();
            var argumentTypes = new List<(string Type, string Codec)>();
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (WireTypeRules.IsCancellationToken(parameter.Type))
                {
                    parameters.Add(new ParameterSpec(WireTypeRules.TypeName(parameter.Type), IsCancellationToken: true));
                    continue;
                }

                string? codec = WireTypeRules.GetCodec(parameter.Type, parameter.Name, plans, out _);
                if (codec is null)
                {
                    return null;
                }

                string type = WireTypeRules.TypeName(parameter.Type);
                parameters.Add(new ParameterSpec(type, IsCancellationToken: false));
                argumentTypes.Add((type, codec));
            }

            if (argumentTypes.Count > MaxWorkerArguments || !TryParseResult(method.ReturnType, plans, out ResultKind kind, out string resultType, out string resultCodec))
            {
                return null;
            }

            (string argsType, string argsCodec) = argumentTypes.Count switch
            {
                0 => ("global::ParallelGen.Serialization.Unit", "global::ParallelGen.Serialization.UnitCodec"),
                1 => argumentTypes[0],
                _ => ("(" + string.Join(", ", argumentTypes.Select(a => a.Type)) + ")",
                      "global::ParallelGen.Serialization.TupleCodec<" + string.Join(", ", argumentTypes.Select(a => a.Type + ", " + a.Codec)) + ">"),
            };

            // Each type is spelled once (ToDisplayString is most of this method's own cost) and the id is hashed from those names.
            string containingType = WireTypeRules.TypeName(method.ContainingType);
            string declaredReturnType = WireTypeRules.TypeName(method.ReturnType);
            return new WorkerSpec(
                WorkerIds.Compute(containingType, method.Name, parameters.Select(p => p.Type), declaredReturnType),
                WorkerIds.DisplayName(method),
                containingType,
                EscapedName(method.Name),
                parameters.ToEquatableArray(),
                kind,
                resultType,
                resultCodec,
                argsType,
                argsCodec,
                CodecSpecs.From(plans))
            {
                Name = method.Name,
                DeclaredReturnType = declaredReturnType,
                IsUniquelyNamed = IsUniquelyNamed(method),
                HasExactParameters = method.Parameters.All(p => WireTypeRules.IsCancellationToken(p.Type) || IsExact(p.Type)),
            };
        }

        /// <summary>Whether the method's name means only it in its type and the types it derives from.</summary>
        private static bool IsUniquelyNamed(IMethodSymbol method)
        {
            if (method.ContainingType.GetMembers(method.Name).Length != 1)
            {
                return false;
            }

            for (INamedTypeSymbol? t = method.ContainingType.BaseType; t is not null; t = t.BaseType)
            {
                if (!t.GetMembers(method.Name).IsEmpty)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// A type no other argument type converts to through a method group conversion (identity or reference conversion):
        /// value types and sealed classes, and arrays of them. Tuple names and <c>dynamic</c> are identity conversions that
        /// change how a type is spelled, so types that mention them are not exact.
        /// </summary>
        internal static bool IsExact(ITypeSymbol type) => type switch
        {
            IArrayTypeSymbol array => IsExact(array.ElementType),
            INamedTypeSymbol { IsTupleType: true } => false,
            INamedTypeSymbol { TypeKind: TypeKind.Struct or TypeKind.Enum } named => named.TypeArguments.All(IsSpelledOneWay),
            INamedTypeSymbol { TypeKind: TypeKind.Class, IsSealed: true } named => named.TypeArguments.All(IsSpelledOneWay),
            _ => false,
        };

        /// <summary>A type argument with no tuple names and no <c>dynamic</c> anywhere in it.</summary>
        private static bool IsSpelledOneWay(ITypeSymbol type) => type switch
        {
            IDynamicTypeSymbol => false,
            IArrayTypeSymbol array => IsSpelledOneWay(array.ElementType),
            INamedTypeSymbol { IsTupleType: true } => false,
            INamedTypeSymbol named => named.TypeArguments.All(IsSpelledOneWay),
            ITypeParameterSymbol or IPointerTypeSymbol or IFunctionPointerTypeSymbol or IErrorTypeSymbol => false,
            _ => true,
        };

        /// <summary>Static, non-generic, by-value parameters, reachable from generated code in its assembly. PG0003 reports the rest.</summary>
        public static bool IsCallableWorker(IMethodSymbol method)
        {
            if (!method.IsStatic || method.IsGenericMethod || method.MethodKind != MethodKind.Ordinary || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer))
            {
                return false;
            }

            for (ISymbol? s = method; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
            {
                if (s.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                {
                    return false;
                }

                // Generic types need type arguments no worker process has; file-local types are invisible to generated files.
                if (s is INamedTypeSymbol { IsGenericType: true } or INamedTypeSymbol { IsFileLocal: true })
                {
                    return false;
                }
            }

            return true;
        }

        private static bool TryParseResult(ITypeSymbol returnType, WireCodecPlans plans, out ResultKind kind, out string type, out string codec)
        {
            const string UnitType = "global::ParallelGen.Serialization.Unit";
            const string UnitCodec = "global::ParallelGen.Serialization.UnitCodec";
            type = UnitType;
            codec = UnitCodec;
            if (returnType.SpecialType == SpecialType.System_Void)
            {
                kind = ResultKind.Void;
                return true;
            }

            if (returnType is INamedTypeSymbol named)
            {
                switch (WireTypeRules.MetadataName(named))
                {
                    case "System.Threading.Tasks.Task":
                        kind = ResultKind.VoidTask;
                        return true;
                    case "System.Threading.Tasks.ValueTask":
                        kind = ResultKind.VoidValueTask;
                        return true;
                    case "System.Threading.Tasks.Task`1":
                        kind = ResultKind.Task;
                        return TryValue(named.TypeArguments[0], plans, out type, out codec);
                    case "System.Threading.Tasks.ValueTask`1":
                        kind = ResultKind.ValueTask;
                        return TryValue(named.TypeArguments[0], plans, out type, out codec);
                }
            }

            kind = ResultKind.Value;
            return TryValue(returnType, plans, out type, out codec);
        }

        private static bool TryValue(ITypeSymbol type, WireCodecPlans plans, out string typeName, out string codec)
        {
            typeName = WireTypeRules.TypeName(type);
            codec = WireTypeRules.GetCodec(type, "return value", plans, out _) ?? "";
            return codec.Length > 0;
        }

        /// <summary>A <c>[GenerateWireCodec(typeof(T))] partial struct</c>: skipped when not partial, nested, generic, or when T can't be carried.</summary>
        public static NamedCodecSpec? ParseNamedCodec(GeneratorAttributeSyntaxContext context)
        {
            if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Struct, ContainingType: null, IsGenericType: false } codec
                || context.TargetNode is not StructDeclarationSyntax declaration
                || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                || context.Attributes.FirstOrDefault() is not { ConstructorArguments: [{ Value: ITypeSymbol target }] })
            {
                return null;
            }

            var plans = new WireCodecPlans();
            if (WireTypeRules.GetGeneratedCodec(target, target.Name, plans, out _) is not { } codecType)
            {
                return null;
            }

            string? ns = codec.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            return new NamedCodecSpec(
                ns,
                codec.Name,
                "WireCodec_" + (ns is null ? "" : ns + ".") + codec.Name,
                WireTypeRules.TypeName(target),
                codecType,
                CodecSpecs.From(plans));
        }


        /// <summary><c>WorkerProcess.Start(worker, args...)</c>: one call in a process of its own, routed like <c>Apply</c>.</summary>
        internal const string ProcessStart = "Start";

        /// <summary>Syntax only: <c>x.Map(...)</c> or <c>x?.Map(...)</c> with arguments, for one of the pool's method names (or <c>WorkerProcess.Start</c>).</summary>
        public static bool IsCandidateCall(SyntaxNode node) =>
            node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: > 0 } invocation
            && invocation.Expression switch
            {
                MemberAccessExpressionSyntax { Name: SimpleNameSyntax name } => PoolMethods.Contains(name.Identifier.ValueText) || name.Identifier.ValueText == ProcessStart,
                MemberBindingExpressionSyntax { Name: SimpleNameSyntax name } => PoolMethods.Contains(name.Identifier.ValueText),
                _ => false,
            };

        private static string EscapedName(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary>
        /// The exact path: binds the call (overload resolution over the placeholder API) and reads the worker and the
        /// intercepted overload from the bound call. <see cref="CallSites"/> takes it only for calls it can't resolve from
        /// syntax and the worker models; binding is what a call site costs (see docs/architecture.md, generator performance).
        /// </summary>
        public static CallSiteSpec? ParseCallSite(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        {
            if (model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
            {
                return null;
            }

            IMethodSymbol target = operation.TargetMethod;
            string? receiver = target.ContainingType is { } type ? WireTypeRules.MetadataName(type) : null;
            bool isInitializer = target.Name == SetInitializer;
            bool isProcessStart = receiver == "ParallelGen.WorkerProcess" && target.Name == ProcessStart;
            if (!isProcessStart && (!PoolMethods.Contains(target.Name) || receiver != (isInitializer ? "ParallelGen.ProcessPoolOptions" : "ParallelGen.WorkerPool")))
            {
                return null;
            }

            // The placeholder API marks the delegate it intercepts with [WorkerParameter]; the worker's own arguments follow it.
            if (WorkerParameter(target) is not { } workerParameter
                || operation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == workerParameter.Ordinal)?.Value
                    is not IDelegateCreationOperation { Target: IMethodReferenceOperation { Method: { } workerMethod } })
            {
                return null;
            }

            workerMethod = workerMethod.OriginalDefinition;
            if (!WireTypeRules.HasWorkerAttribute(workerMethod) || !IsCallableWorker(workerMethod))
            {
                return null;
            }

            ITypeSymbol delegateDefinition = target.OriginalDefinition.Parameters[workerParameter.Ordinal].Type;
            if (!TokenMatches(delegateDefinition, workerMethod))
            {
                return null;
            }

            // The compilation's own workers are parsed once by the Workers step; only a referenced assembly's is parsed here.
            bool isExternal = !SymbolEqualityComparer.Default.Equals(workerMethod.ContainingAssembly, model.Compilation.Assembly);
            WorkerSpec? external = isExternal ? ParseWorker(workerMethod) : null;
            if (isExternal && external is null)
            {
                return null;
            }

            if (model.GetInterceptableLocation(invocation, cancellationToken) is not { } location)
            {
                return null;
            }

            bool packsArguments = target.Name is "Apply" or "ApplyAsync" or SetInitializer || isProcessStart;
            int first = workerParameter.Ordinal + 1;
            int last = workerParameter.Ordinal + (packsArguments ? WorkerArgumentCount(delegateDefinition) : 0);
            var parameters = target.Parameters
                .Where(p => p.Ordinal != workerParameter.Ordinal)
                .Select(p => new ForwardedParameterSpec(WireTypeRules.TypeName(p.Type), p.Name, p.Ordinal >= first && p.Ordinal <= last))
                .ToEquatableArray();

            return new CallSiteSpec(
                location,
                target.Name,
                CoreMethods[target.Name],
                WireTypeRules.TypeName(target.ReturnType),
                WireTypeRules.TypeName(workerParameter.Type),
                parameters,
                WorkerIds.Compute(workerMethod),
                external)
            {
                ReceiverType = "global::" + receiver,
            };
        }

        /// <summary>
        /// The parameter marked <c>[WorkerParameter]</c>, or null. The placeholder API puts it first, so that one is asked
        /// first: decoding a metadata parameter's attributes costs more than the rest of reading the overload.
        /// </summary>
        internal static IParameterSymbol? WorkerParameter(IMethodSymbol method)
        {
            ImmutableArray<IParameterSymbol> parameters = method.Parameters;
            if (parameters.IsEmpty)
            {
                return null;
            }

            return IsWorkerParameter(parameters[0]) ? parameters[0] : parameters.FirstOrDefault(IsWorkerParameter);
        }

        /// <summary>The parameter the placeholder API marks with <c>[WorkerParameter]</c>: the worker delegate the generator intercepts.</summary>
        private static bool IsWorkerParameter(IParameterSymbol parameter) =>
            parameter.GetAttributes().Any(a => a.AttributeClass is { } c && WireTypeRules.MetadataName(c) == "ParallelGen.WorkerParameterAttribute");

        /// <summary>How many of the worker's arguments an Apply-like overload takes after the delegate: the delegate's parameters but its token.</summary>
        internal static int WorkerArgumentCount(ITypeSymbol delegateDefinition) =>
            delegateDefinition is INamedTypeSymbol { DelegateInvokeMethod: { } invoke }
                ? invoke.Parameters.Count(p => !WireTypeRules.IsCancellationToken(p.Type))
                : 0;

        /// <summary>
        /// The worker's CancellationToken parameters must line up with the overload's delegate: one trailing token for
        /// the token-taking overloads, none otherwise. (A token bound to a generic <c>T2</c> would be serialized as an
        /// argument; such calls are left alone and fail clearly at run time, or at compile time through the analyzers.)
        /// </summary>
        private static bool TokenMatches(ITypeSymbol delegateDefinition, IMethodSymbol worker)
        {
            bool tokenOverload = delegateDefinition is INamedTypeSymbol { DelegateInvokeMethod.Parameters: { Length: > 0 } parameters }
                && WireTypeRules.IsCancellationToken(parameters[parameters.Length - 1].Type);
            int tokens = worker.Parameters.Count(p => WireTypeRules.IsCancellationToken(p.Type));
            return tokenOverload
                ? tokens == 1 && WireTypeRules.IsCancellationToken(worker.Parameters[worker.Parameters.Length - 1].Type)
                : tokens == 0;
        }

        /// <summary>Whether the compiler was told to accept interceptors in <c>ParallelGen.Generated</c> (the package props do it).</summary>
        public static bool InterceptorsEnabled(ParseOptions options)
        {
            foreach (string key in new[] { "InterceptorsNamespaces", "InterceptorsPreviewNamespaces" })
            {
                if (options.Features.TryGetValue(key, out string? value)
                    && value.Split(';').Any(n => n.Trim() == "ParallelGen.Generated"))
                {
                    return true;
                }
            }

            return false;
        }

        public static AssemblySpec ParseAssembly(Compilation compilation, CancellationToken cancellationToken)
        {
            bool isExecutable = compilation.Options.OutputKind is OutputKind.ConsoleApplication or OutputKind.WindowsApplication;
            var tables = new List<string>();
            if (isExecutable)
            {
                foreach (IAssemblySymbol reference in compilation.SourceModule.ReferencedAssemblySymbols)
                {
                    cancellationToken.ThrowIfCancellationRequested();

                    // Only assemblies built against Parallel.Gen can carry a worker table; skip the framework cheaply.
                    if (!reference.Modules.Any(m => m.ReferencedAssemblies.Any(a => a.Name == "Parallel.Gen")))
                    {
                        continue;
                    }

                    foreach (AttributeData attribute in reference.GetAttributes())
                    {
                        if (attribute.AttributeClass is { } c && WireTypeRules.MetadataName(c) == "ParallelGen.Hosting.WorkerTableAttribute"
                            && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is INamedTypeSymbol table)
                        {
                            tables.Add(WireTypeRules.TypeName(table));
                        }
                    }
                }
            }

            tables.Sort(System.StringComparer.Ordinal);
            return new AssemblySpec(compilation.AssemblyName ?? "Assembly", isExecutable, tables.ToEquatableArray());
        }
    }
}
