using Microsoft.CodeAnalysis;

namespace ParallelGen.Analyzers;

/// <summary>Every Parallel.Gen diagnostic. Ids never change meaning; each has a section in docs/diagnostics.md.</summary>
public static class DiagnosticDescriptors
{
    public const string LambdaAsWorkerId = "PG0001";
    public const string MissingWorkerAttributeId = "PG0002";
    public const string InvalidWorkerShapeId = "PG0003";
    public const string NotSerializableId = "PG0004";
    public const string PoolCreatedInWorkerContextId = "PG0005";
    public const string DiscardedWorkerTaskId = "PG0006";
    public const string PoolNotDisposedId = "PG0007";
    public const string StaticStateWriteId = "PG0008";
    public const string MissingInterceptorsNamespaceId = "PG0009";

    private const string HelpBase = "https://github.com/parallel-gen/parallel-gen/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor LambdaAsWorker = Create(
        LambdaAsWorkerId,
        "Lambdas and local functions can't be workers",
        "{0} can't run in a worker process: only [Worker] static methods of a class have an entry point there. Extract it into a [Worker] static method.",
        "ParallelGen.Workers",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MissingWorkerAttribute = Create(
        MissingWorkerAttributeId,
        "Method passed as a worker lacks [Worker]",
        "'{0}' is passed as a worker but has no [Worker] attribute, so no worker process has an entry point for it. Add [Worker].",
        "ParallelGen.Workers",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InvalidWorkerShape = Create(
        InvalidWorkerShapeId,
        "[Worker] method has a shape no worker process can call",
        "[Worker] method '{0}' {1}. A worker process calls it by name with nothing but its serialized arguments.",
        "ParallelGen.Workers",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NotSerializable = Create(
        NotSerializableId,
        "Type can't cross a process boundary",
        "{0} of [Worker] '{1}' can't cross a process boundary: {2}. Pass data (records, arrays, primitives) or a shared handle instead.",
        "ParallelGen.Serialization",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor PoolCreatedInWorkerContext = Create(
        PoolCreatedInWorkerContextId,
        "Pool or process created where worker processes also run",
        "{0} is created in {1}. Create it in the method that uses it (e.g. Main).",
        "ParallelGen.Lifecycle",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor DiscardedWorkerTask = Create(
        DiscardedWorkerTaskId,
        "Task of a worker call discarded",
        "The task returned by '{0}' is discarded, so an exception thrown in the worker will never be observed. Await it (or keep it).",
        "ParallelGen.Reliability",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor PoolNotDisposed = Create(
        PoolNotDisposedId,
        "ProcessPool never disposed",
        "This ProcessPool is never disposed, so its worker processes outlive their use. Add 'using'.",
        "ParallelGen.Lifecycle",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor StaticStateWrite = Create(
        StaticStateWriteId,
        "Worker writes a static field",
        "[Worker] '{0}' writes static '{1}': every process has its own copy, so the parent never sees the change. Return the value, or use SharedArray/SharedValue/ProcessQueue.",
        "ParallelGen.Workers",
        DiagnosticSeverity.Warning,
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor MissingInterceptorsNamespace = Create(
        MissingInterceptorsNamespaceId,
        "Interceptor namespace missing",
        "'ParallelGen.Generated' is not in InterceptorsNamespaces, so ProcessPool calls can't be routed to generated code. Reference the Parallel.Gen package (its build props add it) or add <InterceptorsNamespaces>$(InterceptorsNamespaces);ParallelGen.Generated</InterceptorsNamespaces>.",
        "ParallelGen.Setup",
        DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, params string[] tags) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant(), customTags: tags);
}
