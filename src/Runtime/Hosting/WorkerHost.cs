using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using ParallelGen.Execution;
using ParallelGen.Protocol;

namespace ParallelGen.Hosting;

/// <summary>
/// Where a worker process leaves the program's normal path. The generated module initializer of
/// the entry assembly calls <see cref="OnModuleInitialized"/>; in a worker process the worker loop
/// runs and the process exits, so <c>Main</c> never runs there (Python's
/// <c>if __name__ == "__main__"</c>, done for you).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WorkerHost
{
    private static IWorkerTable? s_table;
    private static bool s_startupHookActive;

    /// <summary>The dispatch table of the entry assembly, once its module initializer ran.</summary>
    internal static IWorkerTable? Table => Volatile.Read(ref s_table);

    /// <summary>
    /// The composed dispatch table of the entry assembly (<see langword="null"/> before its module initializer ran, or when it
    /// declares no workers), for hosts that run chunks in their own process, such as an Orleans silo.
    /// </summary>
    public static IWorkerTable? EntryTable => Table;

    /// <summary>
    /// Whether a worker may run chunks on any of its threads. Not when the JIT runs the worker loop inside the entry module's
    /// initializer (a JIT worker without the startup hook, e.g. a PublishAot project run with <c>dotnet run</c>): another thread
    /// calling into that module would wait for the initializer, which never returns. Native AOT runs module initializers
    /// without that lock, and has no host, so no trusted platform assembly list.
    /// </summary>
    internal static bool ChunksMayRunOnAnyThread => s_startupHookActive || AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is null;

    /// <summary>Called by the generated module initializer of an executable with its (composed) dispatch table.</summary>
    /// <remarks>Keeps the startup hook through trimming: the runtime finds it by name.</remarks>
    [DynamicDependency(nameof(global::StartupHook.Initialize), typeof(global::StartupHook))]
    public static void OnModuleInitialized(IWorkerTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Volatile.Write(ref s_table, table);
        LocalBuild.Register(table.BuildId);
        if (!WorkerContext.IsWorker || s_startupHookActive)
        {
            // In the parent: carry on to Main. Under the JIT the startup hook runs the loop once this returns:
            // running it here, inside the module constructor, would block every other thread that touches the module.
            return;
        }

        // Native AOT runs module initializers eagerly at start-up without a type-initialization lock, so the loop can run here.
        Environment.Exit(Serve(table));
    }

    /// <summary>Runs what this process was started for: the worker loop, or a manager's server.</summary>
    private static int Serve(IWorkerTable table) =>
        WorkerContext.Environment?.Role == WorkerEnvironment.ManagerRole ? ManagerHost.Run(WorkerContext.Environment) : WorkerLoop.Run(table);

    /// <summary>The JIT path, from <c>DOTNET_STARTUP_HOOKS</c>: runs the entry module's initializer first, then the loop.</summary>
    internal static void RunFromStartupHook(Action runEntryModuleInitializer)
    {
        s_startupHookActive = true;
        runEntryModuleInitializer();
        IWorkerTable? table = Table;
        if (table is null)
        {
            WorkerErrors.Write(
                "Parallel.Gen worker: the program has no generated worker table. The entry assembly must reference the Parallel.Gen package " +
                "(which brings the source generator) and declare or reference [Worker] methods.");
            Environment.Exit(WorkerExitCodes.NoWorkerTable);
        }

        Environment.Exit(Serve(table));
    }
}
