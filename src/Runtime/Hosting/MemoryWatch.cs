using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace ParallelGen.Hosting;

/// <summary>
/// The worker's side of <see cref="ProcessPoolOptions.MaxMemoryPerChild"/>: after a chunk, reads the process's own resident set and says
/// whether it is over the limit. Reading <c>/proc/self/statm</c> costs a few microseconds, so it happens at most once every
/// <see cref="Interval"/>: a map of tiny items pays for a read every few thousand items, not for each one.
/// </summary>
internal sealed class MemoryWatch(long limitBytes)
{
    private static readonly long Interval = Stopwatch.Frequency / 200;

    private readonly byte[] _buffer = new byte[128];
    private SafeFileHandle? _statm;
    private bool _statmFailed;
    private long _nextCheck;

    public long LimitBytes { get; } = limitBytes;

    /// <summary>Returns the resident set in bytes when it exceeds the limit (time for this worker to be replaced), else 0.</summary>
    public long CheckAfterChunk()
    {
        long now = Stopwatch.GetTimestamp();
        if (now < _nextCheck)
        {
            return 0;
        }

        _nextCheck = now + Interval;
        long resident = ReadResidentBytes();
        return resident > LimitBytes ? resident : 0;
    }

    /// <summary>The resident set: field 2 of <c>/proc/self/statm</c> (pages) on Linux, the working set elsewhere.</summary>
    private long ReadResidentBytes()
    {
        if (OperatingSystem.IsLinux() && !_statmFailed)
        {
            try
            {
                _statm ??= File.OpenHandle("/proc/self/statm");
                int length = RandomAccess.Read(_statm, _buffer, 0);
                if (TryParseSecondField(_buffer.AsSpan(0, length), out long pages))
                {
                    return pages * Environment.SystemPageSize;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            _statmFailed = true;
        }

        return Environment.WorkingSet;
    }

    private static bool TryParseSecondField(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        int space = text.IndexOf((byte)' ');
        if (space < 0)
        {
            return false;
        }

        text = text[(space + 1)..];
        int digits = 0;
        while (digits < text.Length && text[digits] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (text[digits] - '0');
            digits++;
        }

        return digits > 0;
    }
}
