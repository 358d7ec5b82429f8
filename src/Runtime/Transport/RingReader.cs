using System.Diagnostics;
using System.Runtime.CompilerServices;
using ParallelGen.Platform;

namespace ParallelGen.Transport;

/// <summary>
/// The consumer of one single-producer/single-consumer byte ring in shared memory (the other half of
/// <see cref="RingWriter"/>, whose remarks describe the wake-up protocol). Reads everything the writer published without
/// any system call, so a burst of frames costs at most one wake-up.
/// </summary>
internal sealed unsafe class RingReader(RingRegion region, int ring, RingEnd end)
{
    private readonly byte* _data = region.Data(ring);
    private readonly RingControl _control = new(region.Control(ring));
    private readonly int _capacity = region.Capacity;
    private readonly SpinPolicy _spin = new();
    private long _position = Volatile.Read(ref *new RingControl(region.Control(ring)).Head);
    private long _knownTail;
    private long _released;

    /// <summary>Whether a published byte is waiting (no system call, no wait).</summary>
    public bool HasData => _knownTail != _position || (_knownTail = Volatile.Read(ref *_control.Tail)) != _position;

    /// <summary>
    /// Fills <paramref name="destination"/>, waiting as needed. Returns false only when nothing at all was read and the
    /// stream ended cleanly (the writer closed, or its process went) or <paramref name="cancellationToken"/> fired before
    /// the first byte; throws when the stream ends part-way.
    /// </summary>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read(Span<byte> destination, bool allowCleanEnd, CancellationToken cancellationToken = default)
    {
        int filled = 0;
        while (filled < destination.Length)
        {
            long available = _knownTail - _position;
            if (available == 0)
            {
                _knownTail = Volatile.Read(ref *_control.Tail);
                available = _knownTail - _position;
                if (available == 0)
                {
                    // Give the writer the room we freed before we wait: it may be waiting for it to finish this frame.
                    Release();
                    if (!WaitForData(filled == 0 && allowCleanEnd ? cancellationToken : default))
                    {
                        if (filled == 0 && allowCleanEnd)
                        {
                            return false;
                        }

                        throw end.IsEnded ? end.Failure($"a frame was being received ({filled} of {destination.Length} bytes)")
                            : new EndOfStreamException($"The peer closed the shared-memory transport in the middle of a frame ({filled} of {destination.Length} bytes received).");
                    }

                    continue;
                }
            }

            int count = (int)Math.Min(available, destination.Length - filled);
            int at = (int)(_position & (_capacity - 1));
            int first = Math.Min(count, _capacity - at);
            new ReadOnlySpan<byte>(_data + at, first).CopyTo(destination[filled..]);
            new ReadOnlySpan<byte>(_data, count - first).CopyTo(destination[(filled + first)..]);
            _position += count;
            filled += count;

            // Streaming a large frame: hand back each quarter of the ring as it is copied out, so the writer refills it
            // while this side still copies (instead of both taking turns over a full ring).
            if (_position - _released >= _capacity / 4)
            {
                Release();
            }
        }

        return true;
    }

    /// <summary>Hands the bytes read so far back to the writer, and wakes it if (and only if) it sleeps waiting for room.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Release()
    {
        _released = _position;
        Volatile.Write(ref *_control.Head, _position);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref *_control.WriterSleeping) != 0 && Interlocked.Exchange(ref *_control.WriterSleeping, 0) != 0)
        {
            Futex.Wake(_control.WriterSleeping, 1);
        }
    }

    /// <summary>Wakes this side's own reader if it sleeps (the peer went, this side is disposed, or a wait was cancelled).</summary>
    public void WakeSelf()
    {
        Interlocked.Exchange(ref *_control.ReaderSleeping, 0);
        Futex.Wake(_control.ReaderSleeping, int.MaxValue);
    }

    /// <summary>Waits until data was published; false when none will come (closed, peer gone, disposed, cancelled).</summary>
    private bool WaitForData(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        long budget = _spin.NextBudget();
        if (budget > 0 && SpinGate.TryEnter())
        {
            try
            {
                while (Stopwatch.GetTimestamp() - started < budget)
                {
                    if (HasData)
                    {
                        _spin.Observe(Stopwatch.GetTimestamp() - started);
                        return true;
                    }

                    if (IsOver(cancellationToken))
                    {
                        return false;
                    }

                    // A pause, never a yield: sched_yield on a loaded machine can give the core away for a whole time slice.
                    Thread.SpinWait(8);
                }
            }
            finally
            {
                SpinGate.Leave();
            }
        }

        while (true)
        {
            Interlocked.Exchange(ref *_control.ReaderSleeping, 1);
            if (HasData)
            {
                Volatile.Write(ref *_control.ReaderSleeping, 0);
                _spin.Observe(Stopwatch.GetTimestamp() - started);
                return true;
            }

            if (IsOver(cancellationToken))
            {
                Volatile.Write(ref *_control.ReaderSleeping, 0);
                return false;
            }

            Futex.Wait(_control.ReaderSleeping, 1, -1);
        }
    }

    // Data published before the writer closed or died is still delivered: only an empty ring ends the stream.
    private bool IsOver(CancellationToken cancellationToken) =>
        (Volatile.Read(ref *_control.Closed) != 0 || end.IsEnded || cancellationToken.IsCancellationRequested) && !HasData;
}
