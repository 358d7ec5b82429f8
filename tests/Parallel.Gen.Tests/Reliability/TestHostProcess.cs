using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace ParallelGen.Tests.Reliability;

/// <summary>Runs tests/Parallel.Gen.TestHost (a pool's parent of its own) with its standard streams captured.</summary>
internal sealed class TestHostProcess : IDisposable
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();
    private TaskCompletionSource _newLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestHostProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public IReadOnlyList<string> StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>The host's entry assembly, recorded at build time by Parallel.Gen.Tests.csproj.</summary>
    private static string AssemblyPath => typeof(TestHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ParallelGen.TestHost").Value ?? throw new InvalidOperationException("The test host path was not recorded at build time.");

    public static TestHostProcess Start(params string[] arguments)
    {
        string assembly = AssemblyPath;
        string apphost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var info = new ProcessStartInfo(File.Exists(apphost) ? apphost : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!File.Exists(apphost))
        {
            info.ArgumentList.Add(assembly);
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var host = new TestHostProcess(process);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (host._gate)
                {
                    host._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The first stdout line (already printed or still to come) that matches.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, int skip = 0)
    {
        using var timeout = new CancellationTokenSource(LineTimeout);
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (_stdout.Where(match).Skip(skip).FirstOrDefault() is { } line)
                {
                    return line;
                }

                next = _newLine.Task;
            }

            try
            {
                await next.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The test host did not print the expected line within {LineTimeout}. stdout:\n{string.Join('\n', StandardOutput)}\nstderr:\n{StandardError}");
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        // A killed host can't remove the runtime's debugger and diagnostics files from the temp directory: the test that
        // started it does, as a pool does for its workers.
        if (Process.WaitForExit(ExitTimeout))
        {
            ParallelGen.Processes.WorkerRuntimeFiles.RemoveFor(Process.Id);
        }

        Process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource signal;
        lock (_gate)
        {
            _stdout.Add(line);
            signal = _newLine;
            _newLine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }
}
