using ParallelGen.Exceptions;
using ParallelGen.Execution;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.FrontEnd;

/// <summary>
/// Reads a chunk's reply (its layout: <see cref="Protocol.ChunkReplyBody"/>) into result slots. Every
/// failure becomes a <see cref="WorkerException"/> naming the worker, item and process.
/// </summary>
internal static class ChunkDecoder
{
    /// <summary>
    /// Decodes <paramref name="completed"/> into <paramref name="destination"/> (one slot per item of the chunk).
    /// Returns the chunk's failures in item order (empty when all succeeded); failed slots keep their default value.
    /// </summary>
    public static List<Exception>? Decode<TResult, TResultCodec>(CompletedChunk completed, WorkerMethod worker, Span<TResult> destination)
        where TResultCodec : IWireCodec<TResult>
        => Decode<TResult, TResultCodec>(completed, worker, destination, out _);

    /// <summary>As above; <paramref name="failedItems"/> counts the chunk's items that failed (all of them when the chunk failed as a whole).</summary>
    public static List<Exception>? Decode<TResult, TResultCodec>(CompletedChunk completed, WorkerMethod worker, Span<TResult> destination, out int failedItems)
        where TResultCodec : IWireCodec<TResult>
    {
        failedItems = completed.Count;
        Task<ChunkReply> outcome = completed.Outcome;
        if (!outcome.IsCompletedSuccessfully)
        {
            // The chunk never produced a reply: its worker crashed or timed out, or the pool stopped.
            Exception error = outcome.Exception?.InnerException ?? new OperationCanceledException("The chunk was cancelled.");
            if (outcome.IsCanceled)
            {
                throw new OperationCanceledException("The call was cancelled.");
            }

            // The executor knew the chunk's size; only the front end knows where it sits in the call's input.
            switch (error)
            {
                case WorkerCrashedException crashed:
                    crashed.AttachItems(completed.StartIndex, completed.Count);
                    break;
                case TaskTimeoutException timedOut:
                    timedOut.AttachItems(completed.StartIndex);
                    break;
            }

            return [error];
        }

        return Decode<TResult, TResultCodec>(outcome.Result, worker, completed.StartIndex, destination, out failedItems);
    }

    /// <summary>
    /// Decodes the reply an executor returned for the chunk whose first item is item <paramref name="startIndex"/> of its call,
    /// one slot of <paramref name="destination"/> per item, and disposes the reply. Returns the failures as above.
    /// </summary>
    public static List<Exception>? Decode<TResult, TResultCodec>(ChunkReply reply, WorkerMethod worker, int startIndex, Span<TResult> destination, out int failedItems)
        where TResultCodec : IWireCodec<TResult>
    {
        ArgumentNullException.ThrowIfNull(reply);
        using (reply)
        {
            failedItems = destination.Length;
            try
            {
                if (reply.IsFault)
                {
                    var faultReader = new WireReader(reply.Body);
                    RemoteExceptionInfo info = RemoteExceptionInfo.Read(ref faultReader);
                    return [DescribeFault(info, worker, startIndex, reply.WorkerProcessId)];
                }

                List<Exception>? failures = DecodeResults<TResult, TResultCodec>(reply, worker, startIndex, destination);
                failedItems = failures?.Count ?? 0;
                return failures;
            }
            catch (WireFormatException e)
            {
                return [new WorkerException("ParallelGen.Serialization.WireFormatException", $"The reply of a chunk of {worker.Name} (items {startIndex}..{startIndex + destination.Length - 1}) could not be read: {e.Message}", null, null, worker.Name, startIndex, reply.WorkerProcessId)];
            }
        }
    }

    private static List<Exception>? DecodeResults<TResult, TResultCodec>(ChunkReply reply, WorkerMethod worker, int startIndex, Span<TResult> destination)
        where TResultCodec : IWireCodec<TResult>
    {
        ReadOnlySpan<byte> body = reply.Body;
        ReadOnlySpan<byte> valueBytes = ChunkReplyBody.Split(body, "reply", out WireReader failureReader);
        int failureCount = failureReader.ReadLength(8, "failure list");
        List<Exception>? failures = null;
        Span<int> failedIndices = failureCount <= 64 ? stackalloc int[Math.Max(failureCount, 0)] : new int[failureCount];
        for (int f = 0; f < failureCount; f++)
        {
            int index = failureReader.ReadInt32();
            if ((uint)index >= (uint)destination.Length || (f > 0 && index <= failedIndices[f - 1]))
            {
                throw new WireFormatException($"Corrupt reply: failure for item {index} is out of order or outside the chunk of {destination.Length}.");
            }

            failedIndices[f] = index;
            RemoteExceptionInfo info = RemoteExceptionInfo.Read(ref failureReader);
            (failures ??= []).Add(WorkerException.FromRemote(info, worker.Name, startIndex + index, reply.WorkerProcessId));
        }

        failureReader.EnsureConsumed("the failure list");
        if (failureCount == 0 && RawCodec.Is<TResult, TResultCodec>())
        {
            // Every item succeeded and each result is its raw bytes: the whole chunk is one copy.
            Span<byte> slots = RawCodec.AsBytes(destination);
            if (valueBytes.Length != slots.Length)
            {
                throw new WireFormatException($"Corrupt reply: {valueBytes.Length} bytes of results for {destination.Length} items of {System.Runtime.CompilerServices.Unsafe.SizeOf<TResult>()} bytes each.");
            }

            valueBytes.CopyTo(slots);
            return null;
        }

        var values = new WireReader(valueBytes);
        int nextFailure = 0;
        for (int i = 0; i < destination.Length; i++)
        {
            if (nextFailure < failureCount && failedIndices[nextFailure] == i)
            {
                nextFailure++;
                continue;
            }

            destination[i] = TResultCodec.Read(ref values);
        }

        values.EnsureConsumed("the chunk's results");
        return failures;
    }

    private static WorkerException DescribeFault(RemoteExceptionInfo info, WorkerMethod worker, int startIndex, int processId)
    {
        if (info.TypeName == typeof(UnknownWorkerException).FullName)
        {
            string hostBuild = LocalBuild.Id;
            return new WorkerException(info.TypeName, $"Version skew: the worker process does not know {worker.Name} (id 0x{worker.Id:x16}; host build {hostBuild}). {info.Message}", info.StackTrace, null, worker.Name, startIndex, processId);
        }

        return WorkerException.FromRemote(info, worker.Name, startIndex, processId);
    }
}
