namespace ParallelGen;

/// <summary>
/// Marks the parameter of a Parallel.Gen API that takes a worker (<c>pool.Map(worker, items)</c>,
/// <c>WorkerProcess.Start(worker, ...)</c>). The analyzers check every argument passed to such a
/// parameter: it must be a <see cref="WorkerAttribute"/> method, since only those have an entry
/// point in a worker process; lambdas, local functions and delegate values are reported at compile time.
/// </summary>
/// <remarks>Put it on any new API that sends a delegate to a worker process; no list of methods needs updating.</remarks>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class WorkerParameterAttribute : Attribute
{
}
