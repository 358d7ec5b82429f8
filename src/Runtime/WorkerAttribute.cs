namespace ParallelGen;

/// <summary>
/// Marks a static method as a worker: a function that can run in a worker process.
/// The source generator gives it a stable id, an entry in the worker dispatch table and
/// serializers for its parameters and result, and routes every <see cref="WorkerPool"/> call
/// that names it to typed, reflection-free code.
/// </summary>
/// <remarks>
/// Workers must be <c>static</c> methods of a class (not local functions: a <c>static</c> function
/// written among top-level statements is local to the generated <c>Main</c>, so no worker process can
/// call it). They may be <c>async</c> (returning <see cref="Task{TResult}"/> or
/// <see cref="ValueTask{TResult}"/>).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class WorkerAttribute : Attribute
{
}
