using System.Diagnostics;
using System.Runtime.CompilerServices;
using ParallelGen.Platform;

namespace ParallelGen.Transport;

/// <summary>
/// The producer of one single-producer/single-consumer byte ring in shared memory (layout in <see cref="RingRegion"/>).
/// Bytes are copied in, wrapping at the end; <see cref="Publish"/> makes them visible and wakes the consumer only if it
/// said it sleeps. A frame larger than the ring streams through it: the writer publishes what fits and waits for room.
/// </summary>
/// <remarks>
/// Wake-up protocol (a Dekker handshake on two words, each side a store then a full fence then a load):
/// the writer stores Tail, fences, then loads ReaderSleeping and, only when it is 1, swaps it to 0 and makes the
/// FUTEX_WAKE call. The reader swaps ReaderSleeping to 1 (a full fence), then loads Tail once more before FUTEX_WAIT(1).
/// Either the writer sees the 1, or the reader sees the new Tail: a wake is never lost, and a writer whose reader is
/// awake (spinning or busy) makes no system call at all. Waiting for room is the same with Head and WriterSleeping.
/// </remarks>
internal sealed unsafe class RingWriter(RingRegion region, int ring, RingEnd end)
{
    private readonly byte* _data = region.Data(ring);
    private readonly RingControl _control = new(region.Control(ring));
    private readonly int _capacity = region.Capacity;
    private readonly SpinPolicy _spin = new();
    private long _position = Volatile.Read(ref *new RingControl(region.Control(ring)).Tail);
    private long _knownHead;
    private long _published;

    /// <summary>Bytes the ring can take right now without waiting.</summary>
    public long FreeSpace => _capacity - (_position - Volatile.Read(ref *_control.Head));

    /// <summary>Copies <paramref name="bytes"/> in, waiting for room as often as needed; not visible until <see cref="Publish"/>.</summary>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            long free = _capacity - (_position - _knownHead);
            if (free == 0)
            {
                _knownHead = Volatile.Read(ref *_control.Head);
                free = _capacity - (_position - _knownHead);
                if (free == 0)
                {
                    // Full: let the reader have what is written so far, then wait for it to make room.
                    Publish();
                    WaitForRoom();
                    continue;
                }
            }

            int count = (int)Math.Min(free, bytes.Length);
            int at = (int)(_position & (_capacity - 1));
            int first = Math.Min(count, _capacity - at);
            bytes[..first].CopyTo(new Span<byte>(_data + at, first));
            bytes.Slice(first, count - first).CopyTo(new Span<byte>(_data, count - first));
            _position += count;
            bytes = bytes[count..];

            // Streaming a large frame: publish each quarter of the ring as it is written, so the reader copies it out
            // while this side still writes.
            if (_position - _published >= _capacity / 4)
            {
                Publish();
            }
        }
    }

    /// <summary>Makes everything written visible to the reader, and wakes it if (and only if) it sleeps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Publish()
    {
        _published = _position;
        Volatile.Write(ref *_control.Tail, _position);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref *_control.ReaderSleeping) != 0 && Interlocked.Exchange(ref *_control.ReaderSleeping, 0) != 0)
        {
            Futex.Wake(_control.ReaderSleeping, 1);
        }
    }

    /// <summary>Tells the reader no more frames follow (a clean close), and wakes it.</summary>
    public void Close()
    {
        Volatile.Write(ref *_control.Closed, 1);
        Publish();
    }

    /// <summary>Wakes this side's own writer if it sleeps (the peer went, or this side is being disposed).</summary>
    public void WakeSelf()
    {
        Interlocked.Exchange(ref *_control.WriterSleeping, 0);
        Futex.Wake(_control.WriterSleeping, int.MaxValue);
    }

    private void WaitForRoom()
    {
        long started = Stopwatch.GetTimestamp();
        long budget = _spin.NextBudget();
        if (budget > 0 && SpinGate.TryEnter())
        {
            try
            {
                while (Stopwatch.GetTimestamp() - started < budget)
                {
                    if (HasRoom() || end.IsEnded)
                    {
                        _spin.Observe(Stopwatch.GetTimestamp() - started);
                        ThrowIfEnded();
                        return;
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
            Interlocked.Exchange(ref *_control.WriterSleeping, 1);
            if (HasRoom() || end.IsEnded)
            {
                Volatile.Write(ref *_control.WriterSleeping, 0);
                break;
            }

            Futex.Wait(_control.WriterSleeping, 1, -1);
        }

        _spin.Observe(Stopwatch.GetTimestamp() - started);
        ThrowIfEnded();
    }

    private bool HasRoom()
    {
        _knownHead = Volatile.Read(ref *_control.Head);
        return _position - _knownHead < _capacity;
    }

    private void ThrowIfEnded()
    {
        if (end.IsEnded)
        {
            throw end.Failure("a frame was being sent");
        }
    }
}
