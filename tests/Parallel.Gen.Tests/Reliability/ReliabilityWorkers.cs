using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ParallelGen.Tests.Reliability;

/// <summary>How <see cref="R.CrashOn"/> kills its worker process.</summary>
public enum CrashKind
{
    /// <summary><c>Environment.Exit(42)</c> in the middle of a task.</summary>
    Exit,

    /// <summary>Infinite recursion: the runtime can't recover from a stack overflow and aborts the process.</summary>
    StackOverflow,

    /// <summary><c>Environment.FailFast</c>.</summary>
    FailFast,

    /// <summary>A read through a null pointer in native code (libc's strlen): SIGSEGV.</summary>
    Segfault,
}

/// <summary>Workers for the reliability tests: they crash, hang, wait for cancellation, and report what they saw.</summary>
public static class R
{
    private static string? s_initializedWith;
    private static int s_initializations;

    /// <summary>Marks item <paramref name="x"/> as run (a file in <paramref name="markers"/>), except the victim, which kills its process.</summary>
    [Worker]
    public static int CrashOn(string markers, int x, int victim, CrashKind how)
    {
        if (x == victim)
        {
            switch (how)
            {
                case CrashKind.Exit:
                    Environment.Exit(42);
                    break;
                case CrashKind.StackOverflow:
                    return Recurse(0);
                case CrashKind.FailFast:
                    Environment.FailFast("Parallel.Gen test: FailFast on purpose");
                    break;
                case CrashKind.Segfault:
                    _ = strlen(IntPtr.Zero);
                    break;
            }
        }

        File.WriteAllText(Path.Combine(markers, x.ToString(CultureInfo.InvariantCulture)), "");
        return x;
    }

    /// <summary>The victim arrives at the rendezvous and blocks until killed; other items return at once.</summary>
    [Worker]
    public static int BlockOn(string rendezvous, int x, int victim)
    {
        if (x == victim)
        {
            using Socket arrived = RendezvousClient.Arrive(rendezvous);
            Thread.Sleep(Timeout.Infinite);
        }

        return x;
    }

    /// <summary>The victim never returns (a task to time out); other items return at once.</summary>
    [Worker]
    public static int HangOn(int x, int victim)
    {
        if (x == victim)
        {
            Thread.Sleep(Timeout.Infinite);
        }

        return x;
    }

    /// <summary>Negative items never return; the others return at once.</summary>
    [Worker]
    public static int HangIfNegative(int x)
    {
        if (x < 0)
        {
            Thread.Sleep(Timeout.Infinite);
        }

        return x;
    }

    /// <summary>Crashes the first time it sees item <paramref name="x"/> (remembered as a file), succeeds on the retry.</summary>
    [Worker]
    public static int ExitFirstTime(string markers, int x)
    {
        string marker = Path.Combine(markers, x.ToString(CultureInfo.InvariantCulture));
        if (x == 2 && !File.Exists(marker))
        {
            File.WriteAllText(marker, "");
            Environment.Exit(3);
        }

        return x * 10;
    }

    /// <summary>Arrives, then waits for the call's cancellation and honours it; returns its pid if never cancelled.</summary>
    [Worker]
    public static int AwaitCancellation(string rendezvous, CancellationToken cancellationToken)
    {
        using Socket arrived = RendezvousClient.Arrive(rendezvous);
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
        return Environment.ProcessId;
    }

    /// <summary>As <see cref="AwaitCancellation"/>, one item of a map.</summary>
    [Worker]
    public static async Task<int> AwaitCancellationAt(string rendezvous, int x, CancellationToken cancellationToken)
    {
        using Socket arrived = RendezvousClient.Arrive(rendezvous);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return x;
    }

    /// <summary>Takes a token but ignores it: blocks until the pool kills its process.</summary>
    [Worker]
    public static int IgnoreCancellation(string rendezvous, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        using Socket arrived = RendezvousClient.Arrive(rendezvous);
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>A token-taking worker for every pool method: squares, and reports whether its token could be cancelled.</summary>
    [Worker]
    public static long TokenSquare(int x, CancellationToken cancellationToken) => cancellationToken.CanBeCanceled ? (long)x * x : -1;

    /// <summary>Two arguments and a token.</summary>
    [Worker]
    public static int TokenAdd(int a, int b, CancellationToken cancellationToken) => cancellationToken.IsCancellationRequested ? -1 : a + b;

    /// <summary>An async token-taking worker with no other argument.</summary>
    [Worker]
    public static async ValueTask<int> TokenPid(CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return Environment.ProcessId;
    }

    // An initializer exists to set up per-process state, so writing statics is its job: PG0008 (which can't yet tell
    // an initializer from an ordinary worker) is suppressed here.
#pragma warning disable PG0008

    /// <summary>An initializer (Python's initializer/initargs).</summary>
    [Worker]
    public static void Init(string greeting, int number)
    {
        s_initializedWith = $"{greeting}:{number}";
        Interlocked.Increment(ref s_initializations);
    }

    /// <summary>An async initializer that takes its time (the task timeout does not apply to it).</summary>
    [Worker]
    public static async Task InitSlowly(string greeting, int milliseconds)
    {
        await Task.Delay(milliseconds);
        s_initializedWith = greeting;
        Interlocked.Increment(ref s_initializations);
    }

#pragma warning restore PG0008

    /// <summary>An initializer that fails.</summary>
    [Worker]
    public static void InitFails(string message) => throw new InvalidOperationException(message);

    /// <summary>What the initializer left in this process, how often it ran here, and this process's pid.</summary>
    [Worker]
    public static (string? State, int Initializations, int Pid) Initialized(int _) => (s_initializedWith, s_initializations, Environment.ProcessId);

    /// <summary>Writes a frame of an unknown type straight onto this worker's own channel: the parent must drop this worker only.</summary>
    [Worker]
    public static int CorruptChannel(int _)
    {
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal)
                && int.TryParse(Path.GetFileName(fd), CultureInfo.InvariantCulture, out int handle))
            {
                using var socket = new Socket(new SafeSocketHandle(handle, ownsHandle: false));
                if (socket.AddressFamily == AddressFamily.Unix && socket.Connected && socket.RemoteEndPoint?.ToString()?.Contains("pgen-", StringComparison.Ordinal) == true)
                {
                    // write(2), not Socket.Send: over the shared-memory transport the worker's own socket has an asynchronous
                    // receive pending (its death watch), and .NET refuses a blocking call beside it.
                    byte[] garbage = [1, 0, 0, 0, 0xEE];
                    write(handle, garbage, garbage.Length);
                }
            }
        }

        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int depth) => Recurse(depth + 1) + 1;

    [DllImport("libc")]
    private static extern nint strlen(nint text);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, byte[] buffer, nint count);
}
