// Processes (source text items 1, 12, 13): WorkerProcess.Start is Process(target=...).start(); Join waits.
// Every child is a real process with its own pid; its parent is this process. Without Join, parent and
// children run side by side and the order of their output is not fixed. Children never outlive the parent.
using ParallelGen;

Console.WriteLine($"Main: pid {Environment.ProcessId}, parent pid {WorkerContext.ParentProcessId}");

// With Join: the parent waits for both children before going on.
WorkerProcess p1 = WorkerProcess.Start(Info.Describe, "p1", 0);
WorkerProcess p2 = WorkerProcess.Start(Info.Describe, "p2", 0);
p1.Join();
p2.Join();
Console.WriteLine($"Joined p1 (pid {p1.Pid}, exit code {p1.ExitCode}) and p2 (pid {p2.Pid}, exit code {p2.ExitCode})");

// Without Join: the parent carries on at once; the children print whenever they get there.
WorkerProcess p3 = WorkerProcess.Start(Info.Describe, "p3", 300);
WorkerProcess p4 = WorkerProcess.Start(Info.Describe, "p4", 100);
Console.WriteLine($"Main goes on while p3 (alive: {p3.IsAlive}) and p4 run; their lines may come in any order");
await Task.WhenAll(p3.WaitAsync(), p4.WaitAsync());

// A child can be stopped from outside, like Process.terminate().
WorkerProcess sleeper = WorkerProcess.Start(Info.Describe, "sleeper", 60_000);
bool finishedEarly = sleeper.Join(TimeSpan.FromMilliseconds(500));
sleeper.Kill();
sleeper.Join();
Console.WriteLine($"Killed the sleeper (finished by itself: {finishedEarly}); its exit code: {sleeper.ExitCode}");

bool ok = p1.ExitCode == 0 && p2.ExitCode == 0 && p3.ExitCode == 0 && p4.ExitCode == 0 && !finishedEarly && sleeper.ExitCode != 0;
Console.WriteLine(ok ? "OK" : "MISMATCH");
return ok ? 0 : 1;

static class Info
{
    [Worker]
    public static void Describe(string name, int sleepMilliseconds)
    {
        Thread.Sleep(sleepMilliseconds);
        Console.WriteLine($"{name}: pid {Environment.ProcessId}, parent pid {WorkerContext.ParentProcessId}");
    }
}
