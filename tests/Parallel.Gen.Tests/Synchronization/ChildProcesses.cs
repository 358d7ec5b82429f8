namespace ParallelGen.Tests.Synchronization;

/// <summary>The child processes one test started: disposing kills and reaps any still running, so a failing test leaves none behind.</summary>
internal sealed class ChildProcesses : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly List<WorkerProcess> _started = [];

    public T Add<T>(T process)
        where T : WorkerProcess
    {
        _started.Add(process);
        return process;
    }

    /// <summary>Joins every child and asserts each exited with code 0.</summary>
    public void JoinAll()
    {
        foreach (WorkerProcess process in _started)
        {
            Assert.True(process.Join(Generous), $"child {process.Pid} ({process}) did not finish within {Generous.TotalSeconds} s");
            Assert.True(process.ExitCode == 0, $"child {process.Pid} exited with {process.ExitCode}: {process.Completion.Exception?.InnerException}");
        }
    }

    public void Dispose()
    {
        foreach (WorkerProcess process in _started)
        {
            if (process.IsAlive)
            {
                process.Kill();
            }

            process.Join(Generous);
        }
    }
}
