using System.Diagnostics;
using System.Text;

namespace ParallelGen.ClusterTests;

/// <summary>A process of samples/Cluster (a silo or the client) whose output the test reads; killed with its workers on dispose.</summary>
internal sealed class SampleClusterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyLine;

    private SampleClusterProcess(string arguments, string readyLine)
    {
        _readyLine = readyLine;
        var start = new ProcessStartInfo(Executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Executable { get; } = Path.Combine(RepoRoot(), "samples", "Cluster", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "Cluster");

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static SampleClusterProcess Start(string arguments, string readyLine = "") => new(arguments, readyLine);

    /// <summary>Waits for the ready line; fails with the process output if it exits first.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        Task exited = _process.WaitForExitAsync(cancellationToken);
        Task first = await Task.WhenAny(_ready.Task, exited).WaitAsync(patience, cancellationToken);
        Assert.True(first == _ready.Task, $"'{_process.StartInfo.Arguments}' exited before '{_readyLine}':\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(patience, cancellationToken);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        // A killed process can't remove the runtime's debugger and diagnostics files from the temp directory, and a silo
        // killed with its workers can't let its pool remove theirs: the tree is noted before the kill and cleaned after.
        List<int> killed = [];
        if (!_process.HasExited)
        {
            killed = TreeOf(_process.Id);
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        var waited = Stopwatch.StartNew();
        foreach (int pid in killed)
        {
            while (!ParallelGen.Tests.ProcessAssert.IsGone(pid) && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            ParallelGen.Processes.WorkerRuntimeFiles.RemoveFor(pid);
        }
    }

    /// <summary><paramref name="root"/> and its descendants, as Linux lists each task's children (elsewhere just the root).</summary>
    private static List<int> TreeOf(int root)
    {
        List<int> tree = [root];
        for (int i = 0; i < tree.Count; i++)
        {
            try
            {
                foreach (string task in Directory.EnumerateDirectories($"/proc/{tree[i]}/task"))
                {
                    tree.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone already, or not Linux.
            }
        }

        return tree;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }

        if (_readyLine.Length > 0 && line.Contains(_readyLine, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parallel.Gen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Parallel.Gen.sln above {AppContext.BaseDirectory}.");
    }
}
