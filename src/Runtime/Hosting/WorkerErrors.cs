using System.Runtime.CompilerServices;

namespace ParallelGen.Hosting;

/// <summary>
/// A worker's or manager's own complaints, on its standard error (which a pool forwards to its console). Behind a call the
/// JIT does not inline on purpose: every method that names <see cref="Console"/> makes the JIT load System.Console when it
/// compiles that method, so a worker that never complains would pay for the assembly on its way to its first chunk.
/// </summary>
internal static class WorkerErrors
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Write(string message) => Console.Error.WriteLine(message);
}
