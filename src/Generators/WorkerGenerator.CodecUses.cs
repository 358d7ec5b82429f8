using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ParallelGen.Generators.Models;

namespace ParallelGen.Generators;

public sealed partial class WorkerGenerator
{
    /// <summary>
    /// Finds the concrete types used with the runtime's generic IPC objects (<c>ProcessQueue&lt;T&gt;</c>,
    /// <c>PipeEnd&lt;T&gt;</c>, <c>SharedList&lt;T&gt;</c>, <c>SharedDictionary&lt;K, V&gt;</c>,
    /// <c>SharedSet&lt;T&gt;</c>, <c>ManagedValue&lt;T&gt;</c>, <c>ManagedArray&lt;T&gt;</c>, <c>ProcessPipe.Create&lt;T&gt;()</c>,
    /// <c>manager.List/Dictionary/Queue/Set/Value/Array&lt;T&gt;()</c>): any such object in a program is named with its
    /// type arguments somewhere in source, except <c>manager.Value(initial)</c>, whose type argument is inferred.
    /// </summary>
    internal static class CodecUses
    {
        private static readonly HashSet<string> TypeNames = ["ProcessQueue", "PipeEnd", "SharedList", "SharedDictionary", "SharedSet", "ManagedValue", "ManagedArray"];
        private static readonly HashSet<string> FactoryNames = ["Create", "List", "Dictionary", "Queue", "Set", "Value", "Array"];

        private static readonly HashSet<string> Types =
        [
            "ParallelGen.ProcessQueue`1", "ParallelGen.PipeEnd`1", "ParallelGen.SharedList`1", "ParallelGen.SharedDictionary`2",
            "ParallelGen.SharedSet`1", "ParallelGen.ManagedValue`1", "ParallelGen.ManagedArray`1",
        ];

        /// <summary>
        /// Syntax only: a generic name that could be one of the types, a generic factory method called through a member
        /// access, or <c>x.Value(...)</c> (<c>manager.Value(initial)</c> infers its type argument).
        /// </summary>
        public static bool IsCandidate(SyntaxNode node) => node switch
        {
            GenericNameSyntax name => TypeNames.Contains(name.Identifier.ValueText)
                || (FactoryNames.Contains(name.Identifier.ValueText) && name.Parent is MemberAccessExpressionSyntax access && access.Name == name),
            IdentifierNameSyntax { Identifier.ValueText: "Value", Parent: MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax } access } name => access.Name == name,
            _ => false,
        };

        public static EquatableArray<CodecUseSpec> Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        {
            ImmutableArray<ITypeSymbol> arguments = context.SemanticModel.GetSymbolInfo(context.Node, cancellationToken).Symbol switch
            {
                INamedTypeSymbol type when Types.Contains(WireTypeRules.MetadataName(type)) => type.TypeArguments,
                IMethodSymbol method when IsFactory(method) => method.TypeArguments,
                _ => ImmutableArray<ITypeSymbol>.Empty,
            };

            var uses = new List<CodecUseSpec>();
            foreach (ITypeSymbol argument in arguments)
            {
                if (IsOpen(argument))
                {
                    continue;
                }

                // Types that can't cross the boundary are PG0004's business (and a clear run-time error); skip them here.
                var plans = new WireCodecPlans();
                if (WireTypeRules.GetCodec(argument, "item", plans, out _) is { } codec)
                {
                    uses.Add(new CodecUseSpec(WireTypeRules.TypeName(argument), codec, CodecSpecs.From(plans)));
                }
            }

            return uses.ToEquatableArray();
        }

        private static bool IsFactory(IMethodSymbol method)
        {
            if (method.ContainingType is not { } container)
            {
                return false;
            }

            return WireTypeRules.MetadataName(container) switch
            {
                "ParallelGen.ProcessPipe" => method.Name == "Create",
                "ParallelGen.Manager" => method.Name is "List" or "Dictionary" or "Queue" or "Set" or "Value" or "Array",
                _ => false,
            };
        }

        /// <summary>A type still mentioning a type parameter (or broken) has no concrete codec at this use.</summary>
        private static bool IsOpen(ITypeSymbol type) => type switch
        {
            ITypeParameterSymbol or IErrorTypeSymbol => true,
            IArrayTypeSymbol array => IsOpen(array.ElementType),
            INamedTypeSymbol named => named.TypeArguments.Any(IsOpen),
            _ => false,
        };
    }
}
