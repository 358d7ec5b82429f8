using System.Reflection;
using System.Runtime.CompilerServices;
using ParallelGen;
using ParallelGen.Hosting;

/// <summary>
/// Loaded by the runtime through <c>DOTNET_STARTUP_HOOKS</c>, which the pool sets for JIT-compiled
/// worker processes only. Runs before <c>Main</c> and outside any type initializer, so worker code
/// may use every thread it likes. Must be in the global namespace and named <c>StartupHook</c>.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        if (!WorkerContext.IsWorker)
        {
            return;
        }

        // Reflection is used once, at start-up, to trigger the entry module's initializer (which registers the
        // generated table); dispatch itself never uses reflection.
        WorkerHost.RunFromStartupHook(static () =>
        {
            Module? module = Assembly.GetEntryAssembly()?.ManifestModule;
            if (module is not null)
            {
                RuntimeHelpers.RunModuleConstructor(module.ModuleHandle);
            }
        });
    }
}
