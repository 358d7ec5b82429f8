using System.Globalization;

namespace ParallelGen.Protocol;

/// <summary>What a pool hands a worker process through its environment (never the secret: that goes through stdin).</summary>
internal sealed record WorkerEnvironment(string Endpoint, int WorkerIndex, int ParentProcessId, TimeSpan? TaskTimeout, string? Role = null, long? MaxMemoryBytes = null)
{
    /// <summary>The <see cref="RoleVariable"/> value of a manager's server process.</summary>
    public const string ManagerRole = "manager";

    public const string MarkerVariable = "PARALLELGEN_WORKER";

    /// <summary>What the started process serves: unset for a worker, <see cref="ManagerRole"/> for a manager.</summary>
    public const string RoleVariable = "PARALLELGEN_ROLE";
    public const string EndpointVariable = "PARALLELGEN_ENDPOINT";
    public const string IndexVariable = "PARALLELGEN_WORKER_INDEX";
    public const string ParentVariable = "PARALLELGEN_PARENT_PID";
    public const string TaskTimeoutVariable = "PARALLELGEN_TASK_TIMEOUT_MS";
    public const string MaxMemoryVariable = "PARALLELGEN_MAX_MEMORY_BYTES";
    public const string OriginalStartupHooksVariable = "PARALLELGEN_USER_STARTUP_HOOKS";
    public const string StartupHooksVariable = "DOTNET_STARTUP_HOOKS";

    public static WorkerEnvironment? TryRead()
    {
        if (Environment.GetEnvironmentVariable(MarkerVariable) != "1")
        {
            return null;
        }

        string endpoint = Environment.GetEnvironmentVariable(EndpointVariable) ?? "";
        _ = int.TryParse(Environment.GetEnvironmentVariable(IndexVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int index);
        _ = int.TryParse(Environment.GetEnvironmentVariable(ParentVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int parent);
        _ = int.TryParse(Environment.GetEnvironmentVariable(TaskTimeoutVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int timeoutMs);
        _ = long.TryParse(Environment.GetEnvironmentVariable(MaxMemoryVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out long maxMemory);
        return new WorkerEnvironment(endpoint, index, parent, timeoutMs > 0 ? TimeSpan.FromMilliseconds(timeoutMs) : null, Environment.GetEnvironmentVariable(RoleVariable), maxMemory > 0 ? maxMemory : null);
    }

    /// <summary>
    /// Removes what the pool added so that programs a worker starts do not believe they are workers
    /// and do not load our startup hook.
    /// </summary>
    public static void ScrubForChildren()
    {
        Environment.SetEnvironmentVariable(MarkerVariable, null);
        Environment.SetEnvironmentVariable(EndpointVariable, null);
        Environment.SetEnvironmentVariable(IndexVariable, null);
        Environment.SetEnvironmentVariable(ParentVariable, null);
        Environment.SetEnvironmentVariable(RoleVariable, null);
        Environment.SetEnvironmentVariable(TaskTimeoutVariable, null);
        Environment.SetEnvironmentVariable(MaxMemoryVariable, null);
        string? userHooks = Environment.GetEnvironmentVariable(OriginalStartupHooksVariable);
        Environment.SetEnvironmentVariable(StartupHooksVariable, string.IsNullOrEmpty(userHooks) ? null : userHooks);
        Environment.SetEnvironmentVariable(OriginalStartupHooksVariable, null);
    }
}
