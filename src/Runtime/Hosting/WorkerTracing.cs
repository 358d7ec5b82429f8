using System.Diagnostics;
using ParallelGen.Diagnostics;

namespace ParallelGen.Hosting;

/// <summary>
/// Worker side of tracing: a chunk runs under an activity whose parent is the caller's chunk activity (its W3C
/// <c>traceparent</c> came in the RunTraced frame), so activities the worker code starts join the caller's trace.
/// </summary>
internal static class WorkerTracing
{
    public static Activity? StartChunk(string? traceParent)
    {
        if (traceParent is null || !ActivityContext.TryParse(traceParent, null, out ActivityContext parent))
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
