using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ParallelGen.Serialization;

namespace ParallelGen.Hosting;

/// <summary>
/// The loops generated dispatch tables call: read each item's arguments, call the worker, write the
/// result or record the failure and go on with the next item. Generic over static-abstract codecs
/// and invokers so the whole loop compiles to direct calls.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ChunkRunner
{
    /// <summary>Runs a chunk of a synchronous worker.</summary>
    public static void Run<TArgs, TResult, TArgsCodec, TResultCodec, TInvoker>(ReadOnlySpan<byte> arguments, int count, ChunkResultWriter results, CancellationToken cancellationToken)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
        where TInvoker : IWorkerInvoker<TArgs, TResult>
    {
        bool clocked = ItemClock.PerItem;
        if (RawCodec.Is<TArgs, TArgsCodec>() && RawCodec.Is<TResult, TResultCodec>())
        {
            RunRaw<TArgs, TResult, TInvoker>(arguments, count, results, clocked, cancellationToken);
            return;
        }

        var reader = new WireReader(arguments);
        WireWriter writer = results.Writer;
        for (int i = 0; i < count; i++)
        {
            TArgs args = TArgsCodec.Read(ref reader);
            if (cancellationToken.IsCancellationRequested)
            {
                // The caller cancelled: the rest of the chunk is not started (a worker ignoring its token still stops here).
                results.AddFailure(i, new OperationCanceledException(cancellationToken));
                continue;
            }

            int mark = writer.Position;
            if (clocked)
            {
                ItemClock.Start(i);
            }

            try
            {
                TResult result = TInvoker.Invoke(args, cancellationToken);
                if (clocked)
                {
                    ItemClock.Stop();
                }

                TResultCodec.Write(writer, result);
            }
            catch (Exception e)
            {
                if (clocked)
                {
                    ItemClock.Stop();
                }

                writer.Position = mark;
                results.AddFailure(i, e);
            }
        }

        reader.EnsureConsumed("the chunk's arguments");
    }

    /// <summary>
    /// <see cref="Run"/> for arguments and results that travel as their raw bytes: items are read and results written by
    /// offset into the chunk's buffers, with the writer's position moved once at the end, instead of a codec call and a
    /// writer update per item (for a million tiny items those were most of a worker's time). Same outcome as the loop above:
    /// a failed item leaves no bytes among the results.
    /// </summary>
    private static void RunRaw<TArgs, TResult, TInvoker>(ReadOnlySpan<byte> arguments, int count, ChunkResultWriter results, bool clocked, CancellationToken cancellationToken)
        where TInvoker : IWorkerInvoker<TArgs, TResult>
    {
        int argSize = Unsafe.SizeOf<TArgs>();
        int resultSize = Unsafe.SizeOf<TResult>();
        if ((long)count * argSize != arguments.Length)
        {
            throw new WireFormatException($"A chunk of {count:N0} items carries {arguments.Length:N0} bytes of arguments instead of {(long)count * argSize:N0}: the sender and receiver disagree on the format (mismatched builds?).");
        }

        WireWriter writer = results.Writer;
        Span<byte> output = writer.GetSpan(count * resultSize);
        ref byte argument = ref MemoryMarshal.GetReference(arguments);
        ref byte slot = ref MemoryMarshal.GetReference(output);
        int written = 0;
        for (int i = 0; i < count; i++)
        {
            TArgs args = Unsafe.ReadUnaligned<TArgs>(ref Unsafe.Add(ref argument, i * argSize));
            if (cancellationToken.IsCancellationRequested)
            {
                results.AddFailure(i, new OperationCanceledException(cancellationToken));
                continue;
            }

            if (clocked)
            {
                ItemClock.Start(i);
            }

            try
            {
                TResult result = TInvoker.Invoke(args, cancellationToken);
                if (clocked)
                {
                    ItemClock.Stop();
                }

                Unsafe.WriteUnaligned(ref Unsafe.Add(ref slot, written), result);
                written += resultSize;
            }
            catch (Exception e)
            {
                if (clocked)
                {
                    ItemClock.Stop();
                }

                results.AddFailure(i, e);
            }
        }

        writer.Advance(written);
    }

    /// <summary>Runs a chunk of an <c>async</c> worker, one item after another (a worker process runs one task at a time).</summary>
    public static async ValueTask RunAsync<TArgs, TResult, TArgsCodec, TResultCodec, TInvoker>(ReadOnlyMemory<byte> arguments, int count, ChunkResultWriter results, CancellationToken cancellationToken)
        where TArgsCodec : IWireCodec<TArgs>
        where TResultCodec : IWireCodec<TResult>
        where TInvoker : IAsyncWorkerInvoker<TArgs, TResult>
    {
        TArgs[] all = ReadAll<TArgs, TArgsCodec>(arguments.Span, count);
        WireWriter writer = results.Writer;
        for (int i = 0; i < all.Length; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                results.AddFailure(i, new OperationCanceledException(cancellationToken));
                continue;
            }

            int mark = writer.Position;
            ItemClock.Start(i);
            try
            {
                TResult result = await TInvoker.InvokeAsync(all[i], cancellationToken).ConfigureAwait(false);
                ItemClock.Stop();
                TResultCodec.Write(writer, result);
            }
            catch (Exception e)
            {
                ItemClock.Stop();
                writer.Position = mark;
                results.AddFailure(i, e);
            }
        }
    }

    private static TArgs[] ReadAll<TArgs, TArgsCodec>(ReadOnlySpan<byte> arguments, int count)
        where TArgsCodec : IWireCodec<TArgs>
    {
        var reader = new WireReader(arguments);
        var all = new TArgs[count];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = TArgsCodec.Read(ref reader);
        }

        reader.EnsureConsumed("the chunk's arguments");
        return all;
    }
}
