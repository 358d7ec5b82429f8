using System.Collections.Concurrent;
using System.Diagnostics;
using ParallelGen.Diagnostics;

namespace ParallelGen.Tests.Ecosystem;

/// <summary>The ParallelGen ActivitySource: a Map is one activity with a child per chunk, and the trace reaches into the workers.</summary>
[Collection(SharedPoolDefinition.Name)]
public sealed class TracingTests(SharedPoolFixture fixture) : IDisposable
{
    private const string Worker = "E.OwnActivity(int)";
    private readonly ConcurrentQueue<Activity> _started = new();
    private ActivityListener? _listener;

    public void Dispose() => _listener?.Dispose();

    [Fact]
    public async Task A_map_is_one_activity_with_a_child_per_chunk_and_workers_join_its_trace()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ParallelGenTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = _started.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);

        (string TraceId, string ChunkSpanId)[] seen = await fixture.Pool.MapAsync(E.OwnActivity, Enumerable.Range(0, 8), chunkSize: 2, cancellationToken: TestContext.Current.CancellationToken);

        Activity map = Assert.Single(_started, a => a.OperationName == "ParallelGen.MapAsync" && (string?)a.GetTagItem("parallelgen.worker") == Worker);
        Activity[] chunks = [.. _started.Where(a => a.OperationName == "ParallelGen.Chunk" && a.ParentSpanId == map.SpanId)];
        Assert.Equal(4, chunks.Length);
        Assert.All(chunks, c => Assert.Equal(map.TraceId, c.TraceId));
        Assert.Equal([0, 2, 4, 6], chunks.Select(c => (int)c.GetTagItem("parallelgen.chunk.start")!).Order());

        // In the worker processes: the worker's own activity belongs to the caller's trace, under the chunk's span.
        string[] chunkSpans = [.. chunks.Select(c => c.SpanId.ToHexString())];
        Assert.All(seen, s => Assert.Equal(map.TraceId.ToHexString(), s.TraceId));
        Assert.All(seen, s => Assert.Contains(s.ChunkSpanId, chunkSpans));
    }

    [Fact]
    public void An_untraced_caller_sends_no_trace_context()
    {
        (string TraceId, string ChunkSpanId)[] seen = fixture.Pool.Map(E.OwnActivity, Enumerable.Range(0, 2));

        // No listener and no ambient activity: the worker's activity starts a trace of its own, with no parent chunk.
        Assert.All(seen, s => Assert.Equal("", s.ChunkSpanId));
    }
}
