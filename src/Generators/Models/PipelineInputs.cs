namespace ParallelGen.Generators.Models;

// The values the generator's pipeline joins before an output. Each is a class holding equatable models: the compiler's
// pipeline code is precompiled for reference types only, and a record compares by value, so outputs stay cached.

/// <summary>What the dispatch table, the entry point and the codec registrations are made from.</summary>
internal sealed record TableInput(EquatableArray<WorkerSpec> Workers, AssemblySpec Assembly)
{
    public EquatableArray<CodecUseSpec> CodecUses { get; init; } = EquatableArray<CodecUseSpec>.Empty;
}

/// <summary>The calls found by syntax and the workers they may name.</summary>
internal sealed record CallSiteInput(EquatableArray<CallSiteCandidate> Candidates, EquatableArray<WorkerSpec> Workers);

/// <summary>The resolved calls, their workers, and whether the compilation accepts interceptors.</summary>
internal sealed record InterceptorInput(EquatableArray<CallSiteSpec> Sites, EquatableArray<WorkerSpec> Workers, bool Enabled);
