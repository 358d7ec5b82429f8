using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ParallelGen.Generators;

/// <summary>
/// Times the Workers step's parts outside the driver: binding the records the workers take (what any generator that
/// reads them pays first), then the parser's own work over symbols already bound, piece by piece.
/// </summary>
internal static class ParseProfile
{
    public static void Run(Func<CSharpCompilation> createCompilation, int runs)
    {
        for (int run = 0; run < runs; run++)
        {
            CSharpCompilation compilation = createCompilation();
            var workers = new List<IMethodSymbol>();
            var time = Stopwatch.StartNew();
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                SemanticModel model = compilation.GetSemanticModel(tree);
                foreach (MethodDeclarationSyntax method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
                {
                    if (method.AttributeLists.Count > 0 && model.GetDeclaredSymbol(method) is { } symbol && WireTypeRules.HasWorkerAttribute(symbol))
                    {
                        workers.Add(symbol);
                    }
                }
            }

            double find = Lap(time);
            foreach (IMethodSymbol worker in workers)
            {
                foreach (IParameterSymbol p in worker.Parameters)
                {
                    if (p.Type is INamedTypeSymbol t)
                    {
                        _ = t.GetMembers();
                        _ = t.AllInterfaces;
                        _ = t.GetAttributes();
                        foreach (ISymbol m in t.GetMembers())
                        {
                            _ = m.GetAttributes();
                            _ = (m as IPropertySymbol)?.Type;
                        }
                    }
                }
            }

            double bind = Lap(time);
            int parsed = workers.Count(w => WorkerGenerator.Parser.ParseWorker(w) is not null);
            double parse = Lap(time);
            parsed = workers.Count(w => WorkerGenerator.Parser.ParseWorker(w) is not null);
            double parseAgain = Lap(time);
            foreach (IMethodSymbol w in workers)
            {
                _ = WorkerIds.Compute(w);
            }

            double ids = Lap(time);
            foreach (IMethodSymbol w in workers)
            {
                _ = WorkerIds.DisplayName(w);
            }

            double display = Lap(time);
            var plans = new List<WireCodecPlans>();
            foreach (IMethodSymbol w in workers)
            {
                var p = new WireCodecPlans();
                _ = WireTypeRules.GetCodec(w.Parameters[0].Type, "item", p, out _);
                plans.Add(p);
            }

            double codecs = Lap(time);
            foreach (WireCodecPlans p in plans)
            {
                _ = CodecSpecs.From(p);
            }

            double specs = Lap(time);
            foreach (IMethodSymbol w in workers)
            {
                _ = WireTypeRules.TypeName(w.Parameters[0].Type);
            }

            double typeNames = Lap(time);
            {
                // The private rules are found by name and parameter count (an overload added later must not break the tool).
                Func<object?[], object?> Rule(string name, int parameters)
                {
                    System.Reflection.MethodInfo method = typeof(WireTypeRules)
                        .GetMethods(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)
                        .Single(m => m.Name == name && m.GetParameters().Length == parameters);
                    return arguments => method.Invoke(null, arguments);
                }

                Func<object?[], object?> publicMembers = Rule("PublicMembers", 1);
                Func<object?[], object?> chooseConstructor = Rule("ChooseConstructor", 2);
                Func<object?[], object?> resolveFramework = Rule("ResolveFramework", 4);
                Func<object?[], object?> declaredCodec = Rule("GetDeclaredCodec", 1);
                Func<object?[], object?> knownTypes = Rule("KnownTypes", 3);
                Func<object?[], object?> inheritsFrameworkState = Rule("InheritsFrameworkState", 1);
                var parts = new (string Name, Func<INamedTypeSymbol, object?> Call)[]
                {
                    ("TypeName", t => WireTypeRules.TypeName(t)),
                    ("MetadataName", t => WireTypeRules.MetadataName(t)),
                    ("FullDisplay", t => WireTypeRules.FullDisplay(t)),
                    ("PublicMembers", t => publicMembers([t])),
                    ("ChooseConstructor", t => chooseConstructor([t, publicMembers([t])])),
                    ("AllInterfaces", t => t.AllInterfaces.Any(i => WireTypeRules.MetadataName(i) == "System.Collections.IEnumerable")),
                    ("ResolveFramework", t => resolveFramework([t, "item", new WireCodecPlans(), null])),
                    ("GetDeclaredCodec", t => declaredCodec([t])),
                    ("KnownTypes", t => knownTypes([t, "item", null])),
                    ("InheritsFrameworkState", t => inheritsFrameworkState([t])),
                };
                var line = new System.Text.StringBuilder("   GetCodec parts:");
                foreach ((string name, Func<INamedTypeSymbol, object?> call) in parts)
                {
                    var w = Stopwatch.StartNew();
                    foreach (IMethodSymbol worker in workers)
                    {
                        _ = call((INamedTypeSymbol)worker.Parameters[0].Type);
                    }

                    line.Append(System.Globalization.CultureInfo.InvariantCulture, $" {name} {w.Elapsed.TotalMilliseconds:F0}");
                }

                Console.WriteLine(line);
                Lap(time);
            }
            var calls = new List<(SemanticModel Model, InvocationExpressionSyntax Call)>();
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                SemanticModel model = compilation.GetSemanticModel(tree);
                calls.AddRange(tree.GetRoot().DescendantNodes().Where(WorkerGenerator.Parser.IsCandidateCall).Select(c => (model, (InvocationExpressionSyntax)c)));
            }

            double findCalls = Lap(time);
            foreach ((SemanticModel model, InvocationExpressionSyntax call) in calls)
            {
                _ = model.GetInterceptableLocation(call);
            }

            double locations = Lap(time);
            foreach ((SemanticModel model, InvocationExpressionSyntax call) in calls)
            {
                _ = WorkerGenerator.CallSites.Parse(model, call, default);
            }

            double callSites = Lap(time);
            var flags = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static;
            Type cs = typeof(WorkerGenerator.CallSites);
            var receiverOf = cs.GetMethod("Receiver", flags)!;
            var groupOf = cs.GetMethod("WorkerGroup", flags)!;
            var valueOf = cs.GetMethod("QualifierMayBeAValue", flags)!;
            double tr = 0, tg = 0, tv = 0;
            foreach ((SemanticModel model, InvocationExpressionSyntax call) in calls)
            {
                var w = Stopwatch.StartNew();
                _ = receiverOf.Invoke(null, [call, "Map"]);
                tr += Lap(w);
                _ = groupOf.Invoke(null, [call.ArgumentList]);
                tg += Lap(w);
                _ = valueOf.Invoke(null, [call, "Jobs0"]);
                tv += Lap(w);
            }

            Console.WriteLine($"   parts: Receiver {tr:F0} ms, WorkerGroup {tg:F0} ms, QualifierMayBeAValue {tv:F0} ms");
            Lap(time);
            int nodes = 0;
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                foreach (SyntaxNode node in tree.GetRoot().DescendantNodesAndSelf())
                {
                    nodes++;
                    _ = WorkerGenerator.Parser.IsCandidateCall(node);
                    _ = WorkerGenerator.CodecUses.IsCandidate(node);
                }
            }

            double predicates = Lap(time);
            Console.WriteLine($"run {run + 1}: {calls.Count} calls: find {findCalls:F0} ms, interceptable locations {locations:F0} ms, CallSites.Parse {callSites:F0} ms, predicates over {nodes} nodes {predicates:F0} ms");
            Console.WriteLine($"run {run + 1}: {workers.Count} workers ({parsed} parsed): find {find:F0} ms, bind records {bind:F0} ms, "
                + $"ParseWorker {parse:F0} ms, again {parseAgain:F0} ms (ids {ids:F0}, display names {display:F0}, GetCodec {codecs:F0}, specs {specs:F0}, 500 TypeNames {typeNames:F0})");
        }
    }

    private static double Lap(Stopwatch time)
    {
        double ms = time.Elapsed.TotalMilliseconds;
        time.Restart();
        return ms;
    }
}
