using System.ComponentModel;
using ParallelGen.Execution;
using ParallelGen.Serialization;

namespace ParallelGen;

/// <summary>How a <see cref="ProcessPool"/> starts and runs its worker processes.</summary>
public sealed partial class ProcessPoolOptions
{
    /// <summary>The default <see cref="CancellationGracePeriod"/>: two seconds.</summary>
    public static readonly TimeSpan DefaultCancellationGracePeriod = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Number of worker processes. <see langword="null"/> (the default) means <see cref="Environment.ProcessorCount"/>,
    /// as Python's <c>Pool()</c>; leave one core free with <c>Environment.ProcessorCount - 1</c> when the parent is busy too.
    /// </summary>
    public int? Processes { get; set; }

    /// <summary>
    /// A separate executable to run as the workers (it must contain or reference the <see cref="WorkerAttribute"/> methods and
    /// reference Parallel.Gen). <see langword="null"/> (the default) starts this program again.
    /// </summary>
    public string? WorkerExecutable { get; set; }

    /// <summary>The largest message (a chunk's arguments or results) the channel accepts, in bytes. Default 1 GiB; big arrays belong in shared memory.</summary>
    public int MaxMessageBytes { get; set; } = Protocol.ProtocolConstants.DefaultMaxFrameLength;

    /// <summary>
    /// How many tasks a worker process runs before it exits cleanly and a fresh process takes its place (Python's
    /// <c>maxtasksperchild</c>): contains leaks in native libraries or static state. As in Python, a task is one
    /// <c>Apply</c> call or one chunk of a <c>Map</c>/<c>Imap</c>; pass <c>chunkSize: 1</c> to count items.
    /// <see langword="null"/> (the default) keeps workers for the pool's lifetime. A recycled worker says goodbye
    /// before it exits, so recycling never reads as a crash.
    /// </summary>
    public int? MaxTasksPerChild { get; set; }

    /// <summary>
    /// The resident memory (bytes) above which a worker process is replaced (billiard's <c>max_memory_per_child</c>): after an item, a
    /// worker whose resident set exceeds this finishes what it holds, says goodbye and exits, and a fresh process takes its place, as
    /// with <see cref="MaxTasksPerChild"/>; no item is lost or run twice. Contains leaks in native libraries and caches that only grow.
    /// The worker reads its own resident set (<c>/proc/self/statm</c> on Linux) at most every few milliseconds, so tiny items don't pay
    /// for it; one item can still overshoot the limit by what it allocates. Logged and counted on <c>parallelgen.workers.recycled</c>.
    /// <see langword="null"/> (the default) means no limit. Works for JIT and Native AOT workers alike.
    /// </summary>
    public long? MaxMemoryPerChild { get; set; }

    /// <summary>
    /// Before a worker that overran <see cref="TaskTimeout"/> (or ignored a cancellation past <see cref="CancellationGracePeriod"/>)
    /// is killed, capture the managed stacks of all its threads: they go into <see cref="TaskTimeoutException.WorkerStacks"/> (and the
    /// pool's log), showing where it was stuck. Needs the Parallel.Gen.Diagnostics package (ClrMD) referenced by the program that
    /// creates the pool; without it, or when capture is impossible (a Native AOT worker has no runtime to read), the stacks are
    /// <see langword="null"/> and the log says why. Takes a few hundred milliseconds per stuck worker. Default <see langword="false"/>.
    /// </summary>
    public bool CaptureStacksOnTimeout { get; set; }

    /// <summary>
    /// How long one item may run. An item that runs longer fails with <see cref="TaskTimeoutException"/> (naming
    /// the item and how long it ran), and its worker process is killed and replaced: a thread can't be aborted,
    /// a process can. The other items of the same chunk fail with it, so use <c>chunkSize: 1</c> when items may hang.
    /// <see langword="null"/> (the default) means no limit. The <see cref="Initializer"/> is not timed.
    /// </summary>
    public TimeSpan? TaskTimeout { get; set; }

    /// <summary>
    /// When a call is cancelled while a worker runs one of its chunks, the worker's <see cref="CancellationToken"/>
    /// is cancelled at once, and the worker has this long to stop before the pool kills and replaces it.
    /// The caller never waits for it: the <see cref="OperationCanceledException"/> is thrown at once.
    /// Default: <see cref="DefaultCancellationGracePeriod"/>. <see cref="Timeout.InfiniteTimeSpan"/> never kills.
    /// </summary>
    public TimeSpan CancellationGracePeriod { get; set; } = DefaultCancellationGracePeriod;

    /// <summary>
    /// When a worker process dies while running a chunk, run that chunk once more on another worker process
    /// before failing its items with <see cref="WorkerCrashedException"/>. Default <see langword="false"/>: a crash
    /// may be the item's own fault (a stack overflow, a native crash) and the item would only crash again.
    /// </summary>
    public bool RetryCrashedItems { get; set; }

    /// <summary>
    /// A <see cref="WorkerAttribute"/> method each worker process runs once before its first task (Python's
    /// <c>initializer</c> and <c>initargs</c>); set it with <c>SetInitializer(Jobs.Init, arg1, ...)</c>. If it
    /// throws, the worker does not take work; when every worker keeps failing, calls fail with
    /// <see cref="WorkerStartException"/> carrying the initializer's exception.
    /// </summary>
    public WorkerInitializer? Initializer { get; set; }

    /// <summary>
    /// Prefix every line a worker writes to its <see cref="Console"/> with <c>[worker N]</c> (N is the worker's slot,
    /// <see cref="WorkerContext.WorkerIndex"/>) in the parent's console. Default <see langword="false"/>. Either way,
    /// worker output reaches the parent's <see cref="Console.Out"/>/<see cref="Console.Error"/> one whole line at a time,
    /// never interleaved mid-line with another worker's.
    /// </summary>
    public bool PrefixWorkerOutput { get; set; }

    /// <summary>
    /// How frames travel between the pool and its workers. Default <see cref="WorkerTransport.Auto"/>: shared-memory rings on
    /// Linux (far fewer system calls and wake-ups per call than a socket, which stays open beside them to notice a worker's
    /// death), the Unix socket elsewhere; the environment variable <c>PARALLELGEN_TRANSPORT=socket</c> or <c>shm</c> overrides
    /// the default. Every promise (crash, timeout, cancellation, recycling) holds with either.
    /// </summary>
    public WorkerTransport Transport { get; set; }

    /// <summary>
    /// Where the pool logs what happens to its workers: started and exited (Debug), recycled (Information), crashed,
    /// timed out, killed for ignoring a cancellation, a chunk retried, a connection rejected (Warning), start and protocol
    /// failures (Error), with the worker's slot index, process id and exit code as structured fields.
    /// <see langword="null"/> (the default) logs nothing. <c>services.AddProcessPool</c> (Parallel.Gen.Hosting) sets it from DI.
    /// </summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; set; }

    /// <summary>
    /// The parent's own deadline for a chunk is TaskTimeout × items plus this. The worker reports an overrun itself
    /// (it knows which item runs); this catches a worker too frozen to report. Internal: tests shorten it.
    /// </summary>
    internal TimeSpan TimeoutBackstopSlack { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Small chunks a worker may hold at once while each runs in under a millisecond, so it goes from one to the next
    /// without waiting a round trip for it; one not started yet is given back when another worker goes idle (work
    /// stealing). Internal; <see cref="DefaultPipelineDepth"/> unless <c>PARALLELGEN_PIPELINE_DEPTH</c> (1 to 64) says
    /// otherwise (1 turns pipelining off, for A/B measurements).
    /// </summary>
    internal int PipelineDepth { get; set; } = int.TryParse(Environment.GetEnvironmentVariable("PARALLELGEN_PIPELINE_DEPTH"), out int depth) && depth is >= 1 and <= 64 ? depth : DefaultPipelineDepth;

    /// <summary>
    /// 32: a burst of tiny chunks costs the parent and the worker one wake-up for many chunks (ImapUnordered with chunk
    /// size 1 goes from about 3x to about 10x Python, docs/performance.md, "Pipelining"); 32 against 16 took the parent's
    /// context switches per item from 0.51-0.69 to 0.27-0.46 and its rate from 221-279 to 241-339 k items/s (alternating
    /// runs of the benchmarks' <c>--profile imap-chunk1</c>). Only chunks of one streaming call queue behind each other at
    /// a worker; a lone call (Apply, ApplyAsync) always goes to an idle worker, and a chunk queued behind a slow one is
    /// stolen back for an idle worker.
    /// </summary>
    internal const int DefaultPipelineDepth = 32;

    /// <summary>
    /// A blocked <c>Apply</c> caller whose chunk went to an idle worker reads that worker's reply itself (over the
    /// shared-memory transport), instead of being woken by the worker's reply thread. Internal and on by default;
    /// <c>PARALLELGEN_CALLER_READS=0</c> turns it off for A/B measurements.
    /// </summary>
    internal bool CallersRead { get; set; } = Environment.GetEnvironmentVariable("PARALLELGEN_CALLER_READS") != "0";

    /// <summary>Generated code calls this for <c>SetInitializer</c>: records the worker and its serialized arguments.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void SetInitializerCore<TArgs, TArgsCodec>(WorkerMethod worker, TArgs args)
        where TArgsCodec : IWireCodec<TArgs>
    {
        using var writer = new WireWriter();
        TArgsCodec.Write(writer, args);
        Initializer = new WorkerInitializer(worker, writer.WrittenSpan.ToArray());
    }

    internal int ResolveProcesses()
    {
        int processes = Processes ?? Environment.ProcessorCount;
        if (processes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Processes), processes, "A pool needs at least one worker process (null means Environment.ProcessorCount).");
        }

        return processes;
    }

    /// <summary>Checks every option and returns a snapshot the pool keeps (later changes to this object don't affect a running pool).</summary>
    internal Processes.PoolSettings Validate()
    {
        int processes = ResolveProcesses();
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1024, nameof(MaxMessageBytes));
        if (MaxTasksPerChild is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTasksPerChild), MaxTasksPerChild, "MaxTasksPerChild must be at least 1 (or null to keep workers for the pool's lifetime).");
        }

        if (MaxMemoryPerChild is < 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMemoryPerChild), MaxMemoryPerChild, "MaxMemoryPerChild is in bytes and must be at least 1 MiB (a .NET process alone takes tens of MiB), or null for no limit.");
        }

        TimeSpan? taskTimeout = TaskTimeout == Timeout.InfiniteTimeSpan ? null : TaskTimeout;
        if (taskTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(TaskTimeout), TaskTimeout, "TaskTimeout must be positive and at most int.MaxValue milliseconds (or null for no limit).");
        }

        if (CancellationGracePeriod != Timeout.InfiniteTimeSpan && (CancellationGracePeriod < TimeSpan.Zero || CancellationGracePeriod.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(CancellationGracePeriod), CancellationGracePeriod, "CancellationGracePeriod must be zero or positive (or Timeout.InfiniteTimeSpan to never kill a worker that ignores cancellation).");
        }

        if (!Enum.IsDefined(Transport))
        {
            throw new ArgumentOutOfRangeException(nameof(Transport), Transport, "Transport must be WorkerTransport.Auto, SharedMemory or Socket.");
        }

        return new Processes.PoolSettings(processes, WorkerExecutable, MaxMessageBytes, MaxTasksPerChild, taskTimeout, CancellationGracePeriod, RetryCrashedItems, Initializer, TimeoutBackstopSlack, PrefixWorkerOutput, Math.Clamp(PipelineDepth, 1, 64), Transport)
        {
            MaxMemoryPerChild = MaxMemoryPerChild,
            CaptureStacksOnTimeout = CaptureStacksOnTimeout,
            CallersRead = CallersRead,
        };
    }

    private static InvalidOperationException NotIntercepted(string method) => new(
        $"ProcessPoolOptions.{method} was called without the Parallel.Gen source generator rewriting the call. Pass a [Worker] static method " +
        "directly (e.g. options.SetInitializer(Jobs.Init, \"config\"), not a lambda or a delegate variable), reference the Parallel.Gen package " +
        "from the project that makes the call, and make sure 'ParallelGen.Generated' is in InterceptorsNamespaces (the package's build props add it).");
}
