using System.Diagnostics;
using ParallelGen.Diagnostics;

namespace ParallelGen.Hosting;

/// <summary>
/// Worker side of tracing: a chunk runs under an activity whose parent is the caller's chunk activity (its W3C
/// <c>traceparent</c> came in the RunTraced frame), so activities the worker code starts join the caller's trace.
/// </summary>
internal static class WorkerTracing
{
    /// <summary>
    /// The chunk's activity (to dispose when the chunk ends), or <see langword="null"/> for an untraced chunk. Typed
    /// <see cref="IDisposable"/> on purpose: a caller that names <see cref="Activity"/> makes the JIT load
    /// System.Diagnostics.DiagnosticSource into every worker, traced or not, on its way to the first chunk.
    /// </summary>
    public static IDisposable? StartChunk(string? traceParent) => traceParent is null ? null : StartTraced(traceParent);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Activity? StartTraced(string traceParent)
    {
        if (!ActivityContext.TryParse(traceParent, null, out ActivityContext parent))
        {
            return null;
        }

        // Listened to in the worker: a real span. Otherwise a bare activity still carries the trace id to the worker's own sources.
        Activity? activity = ParallelGenTelemetry.Source.StartActivity("ParallelGen.WorkerChunk", ActivityKind.Server, parent);
        if (activity is null)
        {
            activity = new Activity("ParallelGen.WorkerChunk");
            activity.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
            activity.Start();
        }

        return activity;
    }
}
