using Microsoft.CodeAnalysis.CSharp;

namespace ParallelGen.Generators.Models;

/// <summary>What a pool call's receiver was declared as, read from syntax alone.</summary>
internal enum ReceiverKind
{
    /// <summary>Not known from syntax: the call is bound to find out.</summary>
    Unknown,

    /// <summary>A <c>ProcessPool</c> or <c>WorkerPool</c> variable, parameter, field or property.</summary>
    Pool,

    /// <summary>A <c>ProcessPoolOptions</c> (for <c>SetInitializer</c>).</summary>
    Options,

    /// <summary>The static <c>WorkerProcess.Start</c>.</summary>
    Process,
}

/// <summary>
/// A call such as <c>pool.Map(Jobs.Square, xs)</c> as the syntax shows it, found without binding anything: where it is,
/// the pool method's name, the method group it passes, and what its receiver was declared as.
/// <see cref="WorkerGenerator.CallSites"/> turns it into a <see cref="CallSiteSpec"/>.
/// </summary>
/// <param name="FilePath">The file and span of the call, to bind it when syntax is not enough.</param>
/// <param name="WorkerQualifier">The method group's qualifier, e.g. <c>Jobs</c> or <c>Contoso.Jobs</c>; <see langword="null"/> when the call is not in the shape syntax can resolve.</param>
/// <param name="ArgumentCount">How many (positional) arguments the call passes, the worker included.</param>
internal sealed record CallSiteCandidate(
    InterceptableLocation Location,
    string FilePath,
    int SpanStart,
    int SpanLength,
    string PoolMethod,
    ReceiverKind Receiver,
    string? WorkerQualifier,
    string? WorkerName,
    int ArgumentCount);
