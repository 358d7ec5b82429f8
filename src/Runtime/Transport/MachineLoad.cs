using System.Diagnostics;

namespace ParallelGen.Transport;

/// <summary>
/// Whether the machine's cores are busy with real work, from the kernel's count of runnable threads
/// (<c>/proc/loadavg</c>, fourth field "running/total"), sampled at most every <see cref="SampleEvery"/> and only by a
/// thread that is about to spin (an idle process never reads it).
/// </summary>
/// <remarks>
/// The count includes the reading thread itself, so "busy" means more runnable threads than cores: a spinner would then
/// take a core from someone with work, quite possibly the peer that is to produce the awaited frame. Where the file does
/// not exist (not Linux) the machine counts as never busy and the other limits of <see cref="SpinGate"/> still hold.
/// </remarks>
internal static class MachineLoad
{
    private const string LoadAverageFile = "/proc/loadavg";
    private static readonly long SampleEvery = Stopwatch.Frequency / 50; // 20 ms
    private static readonly bool s_available = File.Exists(LoadAverageFile);
    private static long s_sampledAt;
    private static volatile bool s_busy;

    public static bool IsBusy
    {
        get
        {
            if (!s_available)
            {
                return false;
            }

            long now = Stopwatch.GetTimestamp();
            long sampledAt = Volatile.Read(ref s_sampledAt);
            if (now - sampledAt > SampleEvery && Interlocked.CompareExchange(ref s_sampledAt, now, sampledAt) == sampledAt)
            {
                s_busy = ReadRunnable() > Environment.ProcessorCount;
            }

            return s_busy;
        }
    }

    private static int ReadRunnable()
    {
        try
        {
            Span<byte> buffer = stackalloc byte[128];
            using var file = new FileStream(LoadAverageFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            int length = file.Read(buffer);

            // "0.52 0.58 0.59 3/1034 12345": the number before the slash.
            ReadOnlySpan<byte> text = buffer[..length];
            int slash = text.IndexOf((byte)'/');
            int start = slash;
            while (start > 0 && text[start - 1] != (byte)' ')
            {
                start--;
            }

            return slash > 0 && int.TryParse(text[start..slash], out int running) ? running : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
