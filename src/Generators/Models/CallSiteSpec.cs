using Microsoft.CodeAnalysis.CSharp;

namespace ParallelGen.Generators.Models;

/// <summary>One parameter of an intercepted pool method, after the worker: how the interceptor declares and forwards it.</summary>
internal sealed record ForwardedParameterSpec(string Type, string Name, bool IsWorkerArgument);

/// <summary>
/// A call such as <c>pool.Map(Jobs.Square, xs)</c> or <c>WorkerProcess.Start(Jobs.Fill, a)</c>: where it is, which pool method it calls, with
/// which worker, and the exact signature the interceptor must repeat.
/// </summary>
/// <param name="WorkerId">The worker's id. A worker of this compilation is parsed once, by the Workers step; the emitter finds it by id.</param>
/// <param name="ExternalWorker">
/// A worker declared in a referenced assembly, which the Workers step never sees: parsed here, at the call site. <see langword="null"/>
/// for the compilation's own workers.
/// </param>
internal sealed record CallSiteSpec(
    InterceptableLocation Location,
    string PoolMethod,
    string CoreMethod,
    string ReturnType,
    string WorkerParameterType,
    EquatableArray<ForwardedParameterSpec> Parameters,
    ulong WorkerId,
    WorkerSpec? ExternalWorker)
{
    /// <summary>The type the intercepted method is called on: the pool, or <c>ProcessPoolOptions</c> for <c>SetInitializer</c>.</summary>
    public string ReceiverType { get; init; } = "global::ParallelGen.WorkerPool";

    /// <summary>Apply-like calls pass the worker's arguments one by one; the interceptor packs them as one value or tuple.</summary>
    public bool PacksArguments => PoolMethod is "Apply" or "ApplyAsync" or "SetInitializer" || IsProcessStart;

    /// <summary>The typed core method takes only the argument codec (an initializer's result is discarded).</summary>
    public bool IsInitializer => PoolMethod == "SetInitializer";

    /// <summary>A static <c>WorkerProcess.Start</c> call rather than an instance call on a pool.</summary>
    public bool IsProcessStart => CoreMethod == "StartCore";
}
