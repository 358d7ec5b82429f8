using ParallelGen.Execution;

namespace ParallelGen;

/// <summary>
/// A <see cref="WorkerAttribute"/> call every worker process runs once before its first task (Python's
/// <c>initializer</c>/<c>initargs</c>): the worker's stable id and its arguments, already serialized.
/// Made by <c>ProcessPoolOptions.SetInitializer(Jobs.Init, ...)</c>, which the source generator rewrites.
/// </summary>
public sealed class WorkerInitializer
{
    internal WorkerInitializer(WorkerMethod worker, byte[] arguments)
    {
        Worker = worker;
        Arguments = arguments;
    }

    /// <summary>The worker method that initializes each process.</summary>
    public WorkerMethod Worker { get; }

    /// <summary>Its serialized arguments.</summary>
    internal ReadOnlyMemory<byte> Arguments { get; }

    /// <inheritdoc/>
    public override string ToString() => Worker.Name;
}
