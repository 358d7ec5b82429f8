using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ParallelGen.Generators.Models;

namespace ParallelGen.Generators;

/// <summary>
/// Generates, for every assembly with <c>[Worker]</c> methods, a dispatch table (a <c>switch</c> over stable
/// worker ids) with typed invokers; for executables, the module initializer that turns a started
/// copy of the program into a worker; for every pool call site (and <c>WorkerProcess.Start</c>) naming
/// a worker, an interceptor that routes the call to typed code carrying the worker's id and codecs;
/// the start-up registration of the codecs that queue, pipe and manager items travel with; and for every
/// <c>[GenerateWireCodec]</c> partial struct, its codec. Codecs of the user's types are emitted once per
/// assembly, as internal structs in <c>WireCodecs.g.cs</c>, which the other generated files name.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class WorkerGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    /// <remarks>
    /// Every value that flows between steps is a reference type (models are records, arrays are
    /// <see cref="EquatableArray{T}"/>, pairs from <c>Combine</c> are folded into records at once): the compiler's
    /// pipeline classes instantiated over reference types run its precompiled shared code, while each struct type
    /// argument (a <c>bool</c>, an <c>ImmutableArray</c>, a nested tuple) makes the JIT compile a set of them in every build.
    /// </remarks>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<WorkerSpec> workers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "ParallelGen.WorkerAttribute",
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) => ctx.TargetSymbol is IMethodSymbol method ? Parser.ParseWorker(method) : null)
            .Where(static worker => worker is not null)
            .Select(static (worker, _) => worker!)
            .WithTrackingName(TrackingNames.Workers);

        // One walk of the syntax finds both pool calls and the generic IPC types whose items need codecs: each walk visits
        // every node of every file. Calls are read from syntax only, no binding (see CallSites for what is bound instead).
        IncrementalValuesProvider<object> found = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => Parser.IsCandidateCall(node) || CodecUses.IsCandidate(node),
                static (ctx, ct) => Parser.IsCandidateCall(ctx.Node) ? CallSites.Parse(ctx, ct) : (object?)CodecUses.Parse(ctx, ct))
            .Where(static finding => finding is not null)!;

        IncrementalValuesProvider<CallSiteCandidate> callSites = found
            .Where(static finding => finding is CallSiteCandidate)
            .Select(static (finding, _) => (CallSiteCandidate)finding)
            .WithTrackingName(TrackingNames.CallSites);

        IncrementalValueProvider<AssemblySpec> assembly = context.CompilationProvider
            .Select(static (compilation, ct) => Parser.ParseAssembly(compilation, ct))
            .WithTrackingName(TrackingNames.Assembly);

        IncrementalValueProvider<EquatableArray<WorkerSpec>> collectedWorkers = workers
            .Collect()
            .Select(static (all, _) => all.ToEquatableArray())
            .WithTrackingName(TrackingNames.CollectedWorkers);

        IncrementalValueProvider<EquatableArray<CodecUseSpec>> codecUses = found
            .Where(static finding => finding is EquatableArray<CodecUseSpec> { Count: > 0 })
            .Select(static (finding, _) => (EquatableArray<CodecUseSpec>)finding)
            .WithTrackingName(TrackingNames.CodecUses)
            .Collect()
            .Select(static (all, _) => CodecUseSpec.Flatten(all))
            .WithTrackingName(TrackingNames.CollectedCodecUses);

        IncrementalValueProvider<TableInput> table = collectedWorkers
            .Combine(assembly)
            .Select(static (pair, _) => new TableInput(pair.Left, pair.Right))
            .Combine(codecUses)
            .Select(static (pair, _) => pair.Left with { CodecUses = pair.Right });

        context.RegisterSourceOutput(table, static (spc, input) => Emitter.EmitTable(spc, input.Workers.AsImmutableArray(), input.Assembly, input.CodecUses.AsImmutableArray()));

        IncrementalValuesProvider<NamedCodecSpec> namedCodecs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "ParallelGen.Serialization.GenerateWireCodecAttribute",
                static (node, _) => node is StructDeclarationSyntax,
                static (ctx, _) => Parser.ParseNamedCodec(ctx))
            .Where(static codec => codec is not null)
            .Select(static (codec, _) => codec!)
            .WithTrackingName(TrackingNames.NamedCodecs);

        context.RegisterSourceOutput(namedCodecs, static (spc, codec) => Emitter.EmitNamedCodec(spc, codec));

        // A program that references Parallel.Gen.Diagnostics gets its stack capture registered at start-up: referencing the package
        // is all CaptureStacksOnTimeout needs, with no reflection to find it.
        IncrementalValueProvider<string> stackCapture = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(Emitter.StackCaptureType) is not null ? Emitter.StackCaptureType : "")
            .WithTrackingName(TrackingNames.StackCapture);

        context.RegisterSourceOutput(stackCapture, static (spc, present) =>
        {
            if (present.Length > 0)
            {
                Emitter.EmitStackCaptureRegistration(spc);
            }
        });

        // Interceptors are only emitted where the compiler accepts them; otherwise the build would stop at the
        // compiler's CS9137 before the analyzers run, and PG0009 (which explains the fix) would never show.
        IncrementalValueProvider<string> interceptors = context.ParseOptionsProvider
            .Select(static (options, _) => Parser.InterceptorsEnabled(options) ? "enabled" : "");

        // Once per compilation: join the calls with the workers, bind only the calls syntax leaves open. Its output is
        // equatable, so an edit that changes no call leaves the emitted interceptors cached.
        IncrementalValueProvider<EquatableArray<CallSiteSpec>> resolvedCallSites = callSites
            .Collect()
            .Select(static (all, _) => all.ToEquatableArray())
            .WithTrackingName(TrackingNames.CollectedCallSites)
            .Combine(collectedWorkers)
            .Select(static (pair, _) => new CallSiteInput(pair.Left, pair.Right))
            .Combine(context.CompilationProvider)
            .Select(static (input, ct) => CallSites.Resolve(input.Left.Candidates.AsImmutableArray(), input.Left.Workers.AsImmutableArray(), input.Right, ct))
            .WithTrackingName(TrackingNames.ResolvedCallSites);

        IncrementalValueProvider<InterceptorInput> interceptorInput = resolvedCallSites
            .Combine(collectedWorkers)
            .Select(static (pair, _) => new InterceptorInput(pair.Left, pair.Right, Enabled: false))
            .Combine(interceptors)
            .Select(static (pair, _) => pair.Left with { Enabled = pair.Right.Length > 0 });

        context.RegisterSourceOutput(interceptorInput, static (spc, input) =>
        {
            if (input.Enabled)
            {
                Emitter.EmitInterceptors(spc, input.Sites.AsImmutableArray(), input.Workers.AsImmutableArray());
            }
        });

        // Every codec struct the files above name, once per assembly: an equatable set, so the file is rewritten only when
        // a carried type's shape changes.
        IncrementalValueProvider<EquatableArray<CodecSpec>> codecs = collectedWorkers
            .Combine(codecUses)
            .Select(static (pair, _) => new CodecSources(pair.Left, pair.Right))
            .Combine(resolvedCallSites)
            .Select(static (pair, _) => pair.Left with { Sites = pair.Right })
            .Combine(namedCodecs.Collect().Select(static (all, _) => all.ToEquatableArray()))
            .Select(static (pair, _) => (pair.Left with { Named = pair.Right }).All())
            .WithTrackingName(TrackingNames.Codecs);

        context.RegisterSourceOutput(codecs, static (spc, all) => Emitter.EmitCodecs(spc, all));
    }
}
