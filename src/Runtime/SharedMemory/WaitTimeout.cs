using System.Diagnostics;

namespace ParallelGen.SharedMemory;

/// <summary>A wait's deadline: how long is left, in the milliseconds a futex takes (-1 = no limit).</summary>
internal readonly struct WaitTimeout
{
    /// <summary>Waiters wake at least this often: to check a lock holder is alive, and as a guard against a lost wake-up.</summary>
    public const int CheckIntervalMilliseconds = 100;

    private readonly long _start;
    private readonly long _milliseconds;

    private WaitTimeout(long milliseconds)
    {
        _start = milliseconds < 0 ? 0 : Stopwatch.GetTimestamp();
        _milliseconds = milliseconds;
    }

    public static WaitTimeout Infinite => new(-1);

    public bool IsInfinite => _milliseconds < 0;

    /// <summary>Checks a user's timeout the way <c>WaitHandle.WaitOne(TimeSpan)</c> does.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative other than <see cref="Timeout.InfiniteTimeSpan"/>, or beyond <see cref="int.MaxValue"/> milliseconds.</exception>
    public static WaitTimeout From(TimeSpan timeout, string parameterName = "timeout")
    {
        Validate(timeout, parameterName);
        return timeout == Timeout.InfiniteTimeSpan ? Infinite : new((long)timeout.TotalMilliseconds);
    }

    /// <summary>The checks of <see cref="From"/> without starting the clock: for fast paths that may not need to wait at all.</summary>
    public static void Validate(TimeSpan timeout, string parameterName = "timeout")
    {
        if (timeout != Timeout.InfiniteTimeSpan && (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(parameterName, timeout, "The timeout must be between zero and int.MaxValue milliseconds, or Timeout.InfiniteTimeSpan.");
        }
    }

    public bool Expired => !IsInfinite && Elapsed >= _milliseconds;

    /// <summary>How long to sleep next: what is left, but never more than <paramref name="cap"/> (-1: no cap).</summary>
    public int NextSleep(int cap = CheckIntervalMilliseconds)
    {
        if (IsInfinite)
        {
            return cap;
        }

        long left = Math.Max(0, _milliseconds - Elapsed);
        return (int)(cap < 0 ? left : Math.Min(left, cap));
    }

    private long Elapsed => (long)Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
}
