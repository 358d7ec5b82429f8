using System.Globalization;
using ParallelGen.Protocol;

namespace ParallelGen;

/// <summary>Facts about the current process as a Parallel.Gen worker (Python's <c>os.getppid()</c> and friends).</summary>
public static class WorkerContext
{
    private static readonly WorkerEnvironment? s_environment = WorkerEnvironment.TryRead();

    /// <summary><see langword="true"/> in a process started by a <see cref="ProcessPool"/> to run workers.</summary>
    public static bool IsWorker => s_environment is not null;

    /// <summary>
    /// In a worker: the process id of the pool's process. Elsewhere: the operating system's parent
    /// process id where it can be read (Linux), otherwise 0.
    /// </summary>
    public static int ParentProcessId => s_environment?.ParentProcessId ?? OsParentProcessId.Value;

    /// <summary>In a worker: its slot in the pool (0 to processes - 1; a replacement takes the slot of the worker it replaces). Elsewhere: -1.</summary>
    public static int WorkerIndex => s_environment?.WorkerIndex ?? -1;

    internal static WorkerEnvironment? Environment => s_environment;

    private static class OsParentProcessId
    {
        public static readonly int Value = Read();

        private static int Read()
        {
            try
            {
                if (!OperatingSystem.IsLinux())
                {
                    return 0;
                }

                // /proc/self/stat: "pid (comm) state ppid ..."; comm may contain spaces, so parse after the last ')'.
                string stat = File.ReadAllText("/proc/self/stat");
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                return 0;
            }
            catch (UnauthorizedAccessException)
            {
                return 0;
            }
        }
    }
}
