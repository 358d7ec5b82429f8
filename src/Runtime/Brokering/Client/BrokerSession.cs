using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;

namespace ParallelGen.Brokering.Client;

/// <summary>A way to send requests to one broker: in-process (the objects this process hosts) or over a connection.</summary>
internal abstract class BrokerSession
{
    /// <summary>
    /// Sends one request and blocks for its answer. For a request that may wait (Get, Receive), when
    /// <paramref name="wait"/> passes first the wait is cancelled at the broker, which then answers
    /// Cancelled, or with the item if one was already on its way (so no item is ever lost to a timeout).
    /// </summary>
    /// <remarks>Cancelling <paramref name="cancellationToken"/> ends the wait the same way; the caller sees Cancelled (or the item).</remarks>
    public abstract BrokerResult Invoke(BrokerOp op, long objectId, ReadOnlySpan<byte> operands, TimeSpan wait, CancellationToken cancellationToken = default);

    public BrokerResult Invoke(BrokerOp op, long objectId, ReadOnlySpan<byte> operands = default) => Invoke(op, objectId, operands, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Sends one request and completes with its answer without blocking a thread while it waits. Cancelling
    /// <paramref name="cancellationToken"/> cancels the wait at the broker, which answers Cancelled, or with the item
    /// if one was already on its way (never lost).
    /// </summary>
    public abstract Task<BrokerResult> InvokeAsync(BrokerOp op, long objectId, ReadOnlySpan<byte> operands, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a request whose answer the caller doesn't wait for (a Put into an unbounded queue, a pipe Send). In this
    /// process's own broker it is simply carried out, and a failure thrown at once; over a connection it is pipelined and a
    /// failure is thrown later (see <see cref="RemoteBrokerSession.Post"/>).
    /// </summary>
    public virtual void Post(BrokerOp op, long objectId, ReadOnlySpan<byte> operands) => Invoke(op, objectId, operands).ThrowIfError();

    /// <summary>Waits until every request sent so far was carried out, then throws the refusal of a posted one (for <paramref name="objectId"/>, or any when 0).</summary>
    public virtual void Confirm(long objectId)
    {
    }

    /// <summary>Throws, once, the refusal of a request posted earlier for <paramref name="objectId"/>.</summary>
    public virtual void ThrowIfRefused(long objectId)
    {
    }

    /// <summary>Takes, without throwing it, the refusal of a request posted earlier for <paramref name="objectId"/>; <see langword="null"/> when none.</summary>
    public virtual Exception? TakeRefusal(long objectId) => null;

    /// <summary>Awaits <paramref name="answer"/>; when the token is cancelled first, <paramref name="cancelWait"/> asks the broker to end the wait.</summary>
    protected static async Task<BrokerResult> AnswerAsync(Task<BrokerResult> answer, Action cancelWait, CancellationToken cancellationToken)
    {
        // The broker always answers a cancelled wait, so awaiting the answer itself (not the token) never loses an item.
        using (cancellationToken.Register(cancelWait))
        {
            return await answer.ConfigureAwait(false);
        }
    }

    /// <summary>Waits for <paramref name="task"/>; <see langword="false"/> when the timeout passed or the token was cancelled first.</summary>
    protected static bool WaitFor(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return task.Wait((int)timeout.TotalMilliseconds, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return task.IsCompleted;
        }
        catch (AggregateException)
        {
            return true;
        }
    }
}

/// <summary>Requests to the broker of this very process: a direct call, no socket.</summary>
internal sealed class LocalBrokerSession(BrokerServer server) : BrokerSession
{
    private long _nextRequestId;

    public override BrokerResult Invoke(BrokerOp op, long objectId, ReadOnlySpan<byte> operands, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var reply = new LocalReply(server.LocalCaller, Interlocked.Increment(ref _nextRequestId));
        server.Dispatch(server.LocalCaller, op, objectId, operands, reply);
        if (!WaitFor(reply.Task, wait, cancellationToken))
        {
            server.LocalCaller.CancelWait(reply.RequestId);
        }

        return reply.Task.GetAwaiter().GetResult();
    }

    public override Task<BrokerResult> InvokeAsync(BrokerOp op, long objectId, ReadOnlySpan<byte> operands, CancellationToken cancellationToken)
    {
        var reply = new LocalReply(server.LocalCaller, Interlocked.Increment(ref _nextRequestId));
        server.Dispatch(server.LocalCaller, op, objectId, operands, reply);
        return reply.Task.IsCompleted || !cancellationToken.CanBeCanceled
            ? reply.Task
            : AnswerAsync(reply.Task, () => server.LocalCaller.CancelWait(reply.RequestId), cancellationToken);
    }

    private sealed class LocalReply(BrokerCaller caller, long requestId) : BrokerReply(caller, requestId)
    {
        private readonly TaskCompletionSource<BrokerResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<BrokerResult> Task => _result.Task;

        protected override bool Deliver(BrokerStatus status, ReadOnlySpan<byte> payload) => _result.TrySetResult(new BrokerResult(status, payload.ToArray()));
    }
}
