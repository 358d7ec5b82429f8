using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using ParallelGen.Protocol;
using ParallelGen.Transport;

namespace ParallelGen.Processes;

/// <summary>
/// Starts a worker process: the same program started again (apphost, <c>dotnet app.dll</c> or a
/// Native AOT binary), or a separate worker executable. The secret goes through stdin, never the
/// command line or environment, and after it the name of the shared-memory rings made for this worker while its runtime
/// starts (or an empty line: the socket), so the worker maps them before it connects; a pool worker's stdout and stderr are forwarded line by line to the
/// parent's console (<see cref="WorkerOutput"/>), other children inherit them; the protocol never touches them.
/// </summary>
internal sealed class WorkerLauncher
{
    private readonly string _fileName;
    private readonly string[] _arguments;
    private readonly bool _useStartupHook;
    private readonly string _endpoint;
    private readonly string _secretLine;
    private readonly string? _taskTimeout;
    private readonly string? _maxMemory;
    private readonly bool _prefixOutput;
    private readonly List<Task> _outputs = [];
    private readonly string? _role;
    private readonly WorkerTransport? _transport;

    /// <summary>Prepares to start children of <paramref name="workerExecutable"/> (null: this program) that connect to <paramref name="endpoint"/>
    /// and prove <paramref name="secret"/>; <paramref name="role"/> says what they serve (null: worker; <see cref="WorkerEnvironment.ManagerRole"/>).
    /// Their output is forwarded line by line, with a <c>[worker N]</c> prefix when <paramref name="prefixOutput"/>. Workers get
    /// shared-memory rings at launch as <paramref name="transport"/> says (<see langword="null"/>: never, e.g. a manager).</summary>
    public WorkerLauncher(string? workerExecutable, string endpoint, byte[] secret, TimeSpan? taskTimeout, string? role = null, bool prefixOutput = false, long? maxMemory = null, WorkerTransport? transport = null)
    {
        _transport = transport;
        _maxMemory = maxMemory?.ToString(CultureInfo.InvariantCulture);
        _prefixOutput = prefixOutput;
        _endpoint = endpoint;
        _role = role;
        _taskTimeout = taskTimeout is { } timeout ? Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) : null;
        _secretLine = Convert.ToBase64String(secret);
        (_fileName, _arguments) = workerExecutable is null ? DescribeSelf() : (ResolveWorkerExecutable(workerExecutable), []);
        // Always offered: a JIT-compiled worker enters through the hook (even when the app's project has PublishAot=true,
        // which turns IsDynamicCodeSupported off under the JIT too); Native AOT and hook-disabled apps ignore it and
        // enter from the module initializer instead.
        _useStartupHook = true;
    }

    public string Description => _arguments.Length == 0 ? _fileName : _fileName + " " + string.Join(' ', _arguments);

    /// <summary>
    /// Starts a child. With a transport that uses shared memory and a <paramref name="started"/> callback, the child's rings are
    /// made once the process runs (its runtime starts meanwhile) and handed to <paramref name="started"/>, which owns them from
    /// then on, together with the process, before the child can learn their name and connect.
    /// </summary>
    public Process Start(int workerIndex, Action<Process, RingRegion?>? started = null)
    {
        var info = new ProcessStartInfo(_fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            // Pool workers (index 0 and up) write through the parent line by line; a WorkerProcess or manager
            // (index -1) is one child, like Python's Process, and keeps the parent's handles.
            RedirectStandardOutput = workerIndex >= 0,
            RedirectStandardError = workerIndex >= 0,
        };
        foreach (string argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment[WorkerEnvironment.MarkerVariable] = "1";
        info.Environment[WorkerEnvironment.EndpointVariable] = _endpoint;
        info.Environment[WorkerEnvironment.IndexVariable] = workerIndex.ToString(CultureInfo.InvariantCulture);
        info.Environment[WorkerEnvironment.ParentVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (_role is not null)
        {
            info.Environment[WorkerEnvironment.RoleVariable] = _role;
        }
        if (_taskTimeout is not null)
        {
            // The worker times its own items (it knows which one runs); the pool kills it when it reports an overrun.
            info.Environment[WorkerEnvironment.TaskTimeoutVariable] = _taskTimeout;
        }

        if (_maxMemory is not null)
        {
            // The worker checks its own resident set after chunks and asks to be replaced when it is over.
            info.Environment[WorkerEnvironment.MaxMemoryVariable] = _maxMemory;
        }

        if (_useStartupHook)
        {
            // JIT workers enter through our startup hook (before Main, outside any type initializer);
            // the user's own hooks are restored for the worker's children.
            string? userHooks = Environment.GetEnvironmentVariable(WorkerEnvironment.StartupHooksVariable);
            info.Environment[WorkerEnvironment.OriginalStartupHooksVariable] = userHooks ?? "";
            info.Environment[WorkerEnvironment.StartupHooksVariable] = string.IsNullOrEmpty(userHooks)
                ? "Parallel.Gen"
                : userHooks + Path.PathSeparator + "Parallel.Gen";
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start worker process '{Description}'.");
        if (workerIndex >= 0)
        {
            Task output = WorkerOutput.Forward(process, workerIndex, _prefixOutput);
            lock (_outputs)
            {
                _outputs.RemoveAll(static t => t.IsCompleted);
                _outputs.Add(output);
            }
        }
        RingRegion? rings = started is not null && _transport is { } transport ? TransportUpgrade.RingsForLaunch(transport) : null;
        try
        {
            started?.Invoke(process, rings);
        }
        catch
        {
            rings?.Dispose();
            throw;
        }

        try
        {
            // One write: the child reads both lines before it does anything else.
            TransportOffer handedOver = rings is null ? TransportOffer.StayOnSocket : new TransportOffer(rings.Path, rings.Capacity);
            process.StandardInput.Write(_secretLine + "\n" + handedOver.ToLaunchLine() + "\n");
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The worker died at once; its exit is noticed and reported by the slot.
        }

        return process;
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until the exited workers' last output lines are forwarded, so that a
    /// program that ends right after the pool does not lose them. A grandchild that inherited a worker's stdout could keep
    /// it open forever, hence the limit.
    /// </summary>
    public async Task OutputForwardedAsync(TimeSpan limit)
    {
        Task all;
        lock (_outputs)
        {
            all = Task.WhenAll(_outputs);
        }

        try
        {
            await all.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Relative paths are relative to the app's base directory (where a deployed app keeps its worker binary), not to the current directory.</summary>
    private static string ResolveWorkerExecutable(string path)
    {
        string full = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, path));
        if (!File.Exists(full))
        {
            throw new FileNotFoundException(
                $"ProcessPoolOptions.WorkerExecutable names '{path}', but there is no file at '{full}'. Publish the worker project there, or give its full path.",
                full);
        }

        return full;
    }

    private static (string FileName, string[] Arguments) DescribeSelf()
    {
        string processPath = Environment.ProcessPath ?? throw new InvalidOperationException("Can't tell which executable this process runs, so worker processes can't be started; set ProcessPoolOptions.WorkerExecutable.");
        string processName = Path.GetFileNameWithoutExtension(processPath);
        if (!string.Equals(processName, "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return (processPath, []);
        }

        // Under `dotnet app.dll` the process is the muxer; start the app the same way it was started.
        string? name = Assembly.GetEntryAssembly()?.GetName().Name;
        string baseDirectory = AppContext.BaseDirectory;
        string appPath = Path.Combine(baseDirectory, name + ".dll");
        if (name is null || !File.Exists(appPath))
        {
            throw new InvalidOperationException($"This process runs under '{processPath}' but its entry assembly could not be found in {baseDirectory}; set ProcessPoolOptions.WorkerExecutable.");
        }

        var arguments = new List<string> { "exec" };
        string runtimeConfig = Path.Combine(baseDirectory, name + ".runtimeconfig.json");
        if (File.Exists(runtimeConfig))
        {
            arguments.Add("--runtimeconfig");
            arguments.Add(runtimeConfig);
        }

        string deps = Path.Combine(baseDirectory, name + ".deps.json");
        if (File.Exists(deps))
        {
            arguments.Add("--depsfile");
            arguments.Add(deps);
        }

        arguments.Add(appPath);
        return (processPath, arguments.ToArray());
    }
}
