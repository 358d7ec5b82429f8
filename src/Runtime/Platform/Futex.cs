using System.Runtime.InteropServices;

namespace ParallelGen.Platform;

/// <summary>
/// Linux futexes on a 32-bit word in shared memory: a waiter sleeps in the kernel until the word
/// changes and someone wakes it, and both sides find each other by the mapped file and offset, so
/// it works across processes. Not <c>FUTEX_PRIVATE_FLAG</c>: that would key the wait on this
/// process's address space and never see another process's wake.
/// </summary>
/// <remarks>
/// Elsewhere (macOS, Windows) there is no futex: <see cref="Wait"/> sleeps a millisecond and
/// returns, so callers, which always re-check the word in a loop, poll instead. Correct, slower.
/// </remarks>
internal static unsafe partial class Futex
{
    private const int FutexWait = 0;
    private const int FutexWake = 1;

    private static readonly long s_syscallNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 or Architecture.LoongArch64 or Architecture.RiscV64 => 98,
        _ => -1,
    };

    private static bool s_unavailable = !OperatingSystem.IsLinux() || s_syscallNumber < 0;

    /// <summary>The mechanism in one phrase, for error messages and docs.</summary>
    public static string Mechanism => s_unavailable ? "shared memory polled every millisecond (no futex on this platform)" : "Linux futex on shared memory";

    /// <summary>
    /// Sleeps while <c>*address == expected</c>, at most <paramref name="milliseconds"/> (negative: no limit).
    /// Returns early on a wake, a change of the word, a signal, or spuriously: callers re-check their condition.
    /// </summary>
    public static void Wait(int* address, int expected, int milliseconds)
    {
        if (s_unavailable)
        {
            Thread.Sleep(milliseconds is >= 0 and < 1 ? 0 : 1);
            return;
        }

        long result;
        if (milliseconds < 0)
        {
            result = Syscall(s_syscallNumber, address, FutexWait, expected, null, 0, 0);
        }
        else
        {
            var timeout = new TimeSpec { Seconds = milliseconds / 1000, Nanoseconds = (milliseconds % 1000) * 1_000_000L };
            result = Syscall(s_syscallNumber, address, FutexWait, expected, &timeout, 0, 0);
        }

        // ENOSYS (38): a kernel or sandbox without futex. Fall back to polling for the rest of the process's life.
        if (result < 0 && Marshal.GetLastPInvokeError() == 38)
        {
            s_unavailable = true;
        }
    }

    /// <summary>Wakes up to <paramref name="count"/> processes or threads waiting on <paramref name="address"/>.</summary>
    public static void Wake(int* address, int count)
    {
        if (!s_unavailable)
        {
            _ = Syscall(s_syscallNumber, address, FutexWake, count, null, 0, 0);
        }
    }

    // syscall(2) is variadic; every argument here is an integer or pointer, which the ABIs this runs on
    // (x86-64 System V, AArch64 Linux; 32-bit ones poll) pass exactly like a fixed-argument call.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int* address, int operation, int value, TimeSpec* timeout, nint address2, int value3);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
