using System.Buffers.Binary;
using ParallelGen.Brokering.Client;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Queues;

/// <summary>
/// The client's half of a queue's requests: how the operands and answers that <see cref="QueueObject"/> reads and writes
/// are laid out, so the public <c>ProcessQueue&lt;T&gt;</c> and <c>Manager</c> never lay out a queue's bytes themselves.
/// </summary>
internal static class QueueRequests
{
    /// <summary>How many bytes <see cref="WriteCreateOperands"/> writes.</summary>
    public const int CreateOperandsLength = 5;

    /// <summary>What a queue is created with, as <see cref="QueueObject.Create"/> reads it: its capacity (0 = unbounded, int32) and whether it is joinable (a byte).</summary>
    public static void WriteCreateOperands(Span<byte> operands, int capacity, bool joinable)
    {
        BinaryPrimitives.WriteInt32LittleEndian(operands, capacity);
        operands[4] = joinable ? (byte)1 : (byte)0;
    }

    /// <summary>The queue's item count, capacity (0 = unbounded) and whether it was completed, in one round trip.</summary>
    public static (int Count, int Capacity, bool Completed) Info(BrokerHandle handle)
    {
        byte[] info = handle.Invoke(BrokerOp.QueueInfo).ThrowIfError().Payload;
        return (BinaryPrimitives.ReadInt32LittleEndian(info), BinaryPrimitives.ReadInt32LittleEndian(info.AsSpan(4)), info[8] != 0);
    }

    /// <summary>The flag byte that follows a posted put's item: unbounded queues need none, a bounded one's put spends a lent slot.</summary>
    public static byte PostedPutFlag(bool bounded) => bounded ? QueueObject.ReservedFlag : (byte)0;

    /// <summary>
    /// A put into a bounded queue that waits for room like any put and asks the host to lend slots for the next puts
    /// (see <see cref="QueueObject"/>); returns how many it lent (0 when none).
    /// </summary>
    public static int PutAskingForCredits(BrokerHandle handle, byte[] item)
    {
        byte[] operands = new byte[item.Length + 1];
        item.CopyTo(operands, 0);
        operands[^1] = QueueObject.WaitFlag | QueueObject.GrantFlag;
        BrokerResult result = handle.Invoke(BrokerOp.QueuePut, operands).ThrowIfError();
        return result.Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(result.Payload) : 0;
    }

    /// <summary>Hands back <paramref name="count"/> lent slots this proxy won't use, posted (nobody waits for the answer).</summary>
    public static void ReturnCredits(BrokerSession session, long queueId, int count)
    {
        Span<byte> operands = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(operands, count);
        session.Post(BrokerOp.QueueReturnCredits, queueId, operands);
    }
}
