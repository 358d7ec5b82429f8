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
/// <c>[GenerateWireCodec]</c> partial struct, its codec. Codecs of the user's types are emitted as
/// <c>file</c>-local structs into each generated file that names them.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class WorkerGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
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

        // Syntax only, per call: no binding here (see CallSites for why and what is bound instead).
        IncrementalValuesProvider<CallSiteCandidate> callSites = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => Parser.IsCandidateCall(node), static (ctx, ct) => CallSites.Parse(ctx, ct))
            .Where(static site => site is not null)
            .Select(static (site, _) => site!)
            .WithTrackingName(TrackingNames.CallSites);

        IncrementalValueProvider<AssemblySpec> assembly = context.CompilationProvider
            .Select(static (compilation, ct) => Parser.ParseAssembly(compilation, ct))
            .WithTrackingName(TrackingNames.Assembly);

        IncrementalValueProvider<System.Collections.Immutable.ImmutableArray<WorkerSpec>> collectedWorkers = workers
            .Collect()
            .WithTrackingName(TrackingNames.CollectedWorkers);

        IncrementalValueProvider<(System.Collections.Immutable.ImmutableArray<WorkerSpec> Workers, AssemblySpec Assembly)> table = collectedWorkers.Combine(assembly);

        IncrementalValueProvider<System.Collections.Immutable.ImmutableArray<CodecUseSpec>> codecUses = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => CodecUses.IsCandidate(node), static (ctx, ct) => CodecUses.Parse(ctx, ct))
            .SelectMany(static (uses, _) => uses)
            .WithTrackingName(TrackingNames.CodecUses)
            .Collect()
            .WithTrackingName(TrackingNames.CollectedCodecUses);

        context.RegisterSourceOutput(table.Combine(codecUses), static (spc, input) => Emitter.EmitTable(spc, input.Left.Workers, input.Left.Assembly, input.Right));

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
        IncrementalValueProvider<bool> stackCapture = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(Emitter.StackCaptureType) is not null)
            .WithTrackingName(TrackingNames.StackCapture);

        context.RegisterSourceOutput(stackCapture, static (spc, present) =>
        {
            if (present)
            {
                Emitter.EmitStackCaptureRegistration(spc);
            }
        });
        // Interceptors are only emitted where the compiler accepts them; otherwise the build would stop at the
        // compiler's CS9137 before the analyzers run, and PG0009 (which explains the fix) would never show.
        IncrementalValueProvider<bool> interceptorsEnabled = context.ParseOptionsProvider
            .Select(static (options, _) => Parser.InterceptorsEnabled(options));

        // Once per compilation: join the calls with the workers, bind only the calls syntax leaves open. Its output is
        // equatable, so an edit that changes no call leaves the emitted interceptors cached.
        IncrementalValueProvider<EquatableArray<CallSiteSpec>> resolvedCallSites = callSites
            .Collect()
            .WithTrackingName(TrackingNames.CollectedCallSites)
            .Combine(collectedWorkers)
            .Combine(context.CompilationProvider)
            .Select(static (input, ct) => CallSites.Resolve(input.Left.Left, input.Left.Right, input.Right, ct))
            .WithTrackingName(TrackingNames.ResolvedCallSites);

        context.RegisterSourceOutput(
            resolvedCallSites.Combine(collectedWorkers).Combine(interceptorsEnabled),
            static (spc, input) =>
            {
                if (input.Right)
                {
                    Emitter.EmitInterceptors(spc, input.Left.Left.AsImmutableArray(), input.Left.Right);
                }
            });
    }
}
