namespace ParallelGen;

/// <summary>How a silo runs the chunks that <see cref="ClusterPool"/>s send it (<c>siloBuilder.AddParallelGenWorkers(...)</c>).</summary>
public sealed class ParallelGenWorkerOptions
{
    /// <summary>
    /// The silo's local worker processes (by default <see cref="Environment.ProcessorCount"/> of them, started from the silo's own
    /// program). Each silo runs chunks on its own <see cref="ParallelGen.ProcessPool"/>, so a crashing native library or a
    /// <see cref="Environment.FailFast(string)"/> kills one worker process, never the silo.
    /// </summary>
    public ProcessPoolOptions ProcessPool { get; set; } = new();

    /// <summary>
    /// Run chunks inside the silo's process instead of worker processes: no process hop, but no isolation either (a crash
    /// takes the silo down, and a worker ignoring its <see cref="CancellationToken"/> can't be stopped). Default <see langword="false"/>.
    /// </summary>
    public bool InProcess { get; set; }

    /// <summary>
    /// With <see cref="InProcess"/>: how many chunks run at once on the silo. <see langword="null"/> (the default) means
    /// <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public int? InProcessConcurrency { get; set; }
}
